// The terminal's table of held-out numbers: a model without latents shows '-' where only
// latents give a number, never a zero that reads as a measured KL.
import { describe, expect, it } from 'vitest';
import { reportTable } from '../../src/cli/report-table.js';
import type { EvalReport } from '../../src/vi/evaluate.js';

function report(latentUnits: number): EvalReport {
  return {
    sequences: 8, tokensScored: 512, nll: 1.5, kl: latentUnits > 0 ? 0.25 : 0,
    bound: 1.75, nllAtPosteriorMean: 1.4, nllAtPriorMean: 1.6, suffixNll: 1.55,
    nllBitsPerByte: 2.164, klBitsPerByte: latentUnits > 0 ? 0.3607 : 0, boundBitsPerByte: 2.525,
    suffixNllBitsPerByte: 2.236, nllAtPriorMeanBitsPerByte: 2.308,
    nllAtPosteriorMeanBitsPerByte: 2.02, klBitsPerSequence: latentUnits > 0 ? 23.08 : 0,
    klPerLayer: latentUnits > 0 ? [0.1, 0.15] : [], activeUnits: latentUnits / 2, latentUnits,
    innerTrace: latentUnits > 0 ? [1.9, 1.8] : [],
  };
}

/** The cells of the row whose name starts with `name`. */
function row(text: string, name: string): string[] {
  const line = text.split('\n').find((candidate) => candidate.trimStart().startsWith(name));
  if (line === undefined) throw new Error(`no row '${name}' in\n${text}`);
  return line.slice(line.indexOf(name) + name.length).trim().split(/\s{2,}|\s*\|\s*/)
    .filter((cell) => cell !== '');
}

describe('reportTable', () => {
  const text = reportTable([
    { label: 'ltm', report: report(16) }, { label: 'ar', report: report(0) },
  ]);

  it.each(['KL (bits/byte)', 'NLL at posterior mean', 'NLL at prior mean', 'KL per sequence',
    'active latent units', 'inner-loop objective'])(
    "should show '-' for the AR baseline when the row is %s", (name) => {
      const cells = row(text, name);
      expect(cells[cells.length - 1]).toBe('-');
      expect(cells[cells.length - 2]).not.toBe('-');
    });

  it('should show both numbers when the row is the bound', () => {
    expect(row(text, 'bound = NLL + KL')).not.toContain('-');
  });
});

describe('reportTable of a synthetic corpus', () => {
  it('should label every per-byte row in bits per token when the corpus is synthetic', () => {
    const text = reportTable([{ label: 'ltm', report: report(16) }], 'hierarchy');
    expect(text).toContain('bound = NLL + KL (bits/token)');
    expect(text).toContain('NLL at prior mean z=0 (bits/token)');
    expect(text).not.toContain('bits/byte');
  });
});

describe('reportTable label accuracy', () => {
  const labelled = { ...report(16), topicAccuracy: 0.5 };

  it('should name topics when the corpus is hidden-topic', () => {
    expect(reportTable([{ label: 'ltm', report: labelled }], 'hidden-topic'))
      .toContain('topic accuracy (nearest centroid)');
  });

  it('should name root symbols when the corpus is a hierarchy', () => {
    expect(reportTable([{ label: 'ltm', report: labelled }], 'hierarchy'))
      .toContain('root symbol accuracy (nearest centroid)');
  });
});
