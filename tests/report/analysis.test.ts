// The analyses' charts and tables in a report: one chart per saved analysis, none without
// them, and tables whose rows carry the saved numbers.
import { describe, expect, it } from 'vitest';
import { analysisCharts } from '../../src/report/analysis-charts.js';
import { analysisTables } from '../../src/report/analysis-tables.js';
import type { RunRecord } from '../../src/report/folder.js';

function record(analyses: RunRecord['analyses']): RunRecord {
  return { dir: '/nowhere', label: 'run', kind: 'ltm', latentsEnabled: true, config: {},
    meta: null, metrics: [], evaluation: null, innerStepsScaling: null, reasonScaling: null,
    analyses };
}

const dependence = {
  estimator: 'e', sequences: 10, tokenDistance1: 0.2, latentSameLevel: 0.5, latentCrossLevel: 0.1,
  tokens: [{ distance: 1, value: 0.2, raw: 0.21, baseline: 0.01, pairs: 90 },
    { distance: 2, value: 0.05, raw: 0.06, baseline: 0.01, pairs: 80 }],
  latentSameLevelByLayer: [], latentCrossLevelPairs: [],
  hierarchy: { sameLevel: [{ level: 1, value: 0.4, raw: 0.41, baseline: 0.01, pairs: 20 }],
    parentChild: [], latentsVersusLevel: [] },
};
const efficiency = {
  sizes: [10], depths: [2], steps: 5, sourceEntropy: [{ depth: 2, bits: 1.25 }],
  rows: [{ depth: 2, trainSequences: 10, model: 'ltm', nll: 2, kl: 0.1, bound: 2.1,
    suffixNll: 2.2 }, { depth: 2, trainSequences: 10, model: 'ar', nll: 1.9, kl: 0,
    bound: 1.9, suffixNll: 2 }],
};

describe('analysisCharts', () => {
  it('should draw nothing when a run has no saved analyses', () => {
    expect(analysisCharts(record({}))).toEqual([]);
    expect(analysisTables(record({}))).toEqual([]);
  });

  it('should draw dependence and sample efficiency when both are saved', () => {
    const charts = analysisCharts(record({ dependence, sampleEfficiency: efficiency }));
    expect(charts.map((chart) => chart.name)).toEqual(['dependence', 'sample-efficiency']);
    expect(charts.every((chart) => chart.section === 'analysis')).toBe(true);
  });
});

describe('analysisTables', () => {
  it('should put the token, latent and true-symbol numbers in the dependence table', () => {
    const [table] = analysisTables(record({ dependence }));
    expect(table.rows.map((row) => row[0])).toEqual(['tokens at distance 1',
      'tokens at distance 2', 'true siblings at level 1']);
    expect(table.rows[2][1]).toBe('0.400');
  });

  it('should pair each LTM cell with the AR cell of the same depth and size', () => {
    const [table] = analysisTables(record({ sampleEfficiency: efficiency }));
    expect(table.rows).toEqual([['2', '10', '2.100', '2', '2.200', '1.900', '2', '1.250']]);
  });
});
