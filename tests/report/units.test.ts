// The report names the unit its numbers count: bits per byte for text, bits per token for
// the synthetic corpora whose symbols each count as one byte.
import { describe, expect, it } from 'vitest';
import { unitOfRuns, type RunRecord } from '../../src/report/folder.js';
import { trainingChart } from '../../src/report/run-charts.js';
import { heldOutTable } from '../../src/report/tables.js';

function run(kind: string | undefined, label = kind ?? 'none'): RunRecord {
  return {
    dir: '/nowhere', label, kind: 'ltm', latentsEnabled: true,
    config: kind === undefined ? {} : { data: { kind } }, meta: null,
    metrics: [{ step: 1, nllBitsPerByte: 2, klBitsPerByte: 0.1, boundBitsPerByte: 2.1 }],
    evaluation: { nllBitsPerByte: 2, boundBitsPerByte: 2.1 }, innerStepsScaling: null,
    reasonScaling: null, analyses: {},
  };
}

describe('unitOfRuns', () => {
  it('should say token when every run is on a synthetic corpus', () => {
    expect(unitOfRuns([run('hierarchy'), run('hidden-topic')])).toBe('token');
  });

  it('should say byte when any run is on text or names no data kind', () => {
    expect(unitOfRuns([run('hierarchy'), run('sotu')])).toBe('byte');
    expect(unitOfRuns([run(undefined)])).toBe('byte');
  });
});

describe('report labels', () => {
  it('should label the held-out table and the training chart per token on a hierarchy run',
    () => {
      const runs = [run('hierarchy')];
      expect(heldOutTable(runs)!.rows.map(([name]) => name)).toContain(
        'bound = NLL + KL (bits/token)');
      expect(trainingChart(runs)!.caption).toContain('bits per token');
    });

  it('should label them per byte on the speeches', () => {
    const runs = [run('sotu')];
    expect(heldOutTable(runs)!.rows.map(([name]) => name)).toContain(
      'bound = NLL + KL (bits/byte)');
    expect(trainingChart(runs)!.caption).toContain('bits per byte');
  });
});
