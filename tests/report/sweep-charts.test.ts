// The sweep's charts name what their x axis is and the unit of their numbers.
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import { sweepCharts } from '../../src/report/sweep-charts.js';
import type { SweepPlan, SweepResult } from '../../src/report/sweep-folder.js';

function sweep(path: string, values: number[], overrides: string[] = []):
  { plan: SweepPlan; results: SweepResult[] } {
  const plan: SweepPlan = {
    base: resolveConfig({}, overrides), grid: [{ path, values }], cells: [],
    createdAt: 'then', packageVersion: '0',
  };
  const results = values.map((value, index): SweepResult => ({
    name: `${path}=${value}`, overrides: [`${path}=${value}`], values: { [path]: value },
    decoderParameters: 1000, latentFloatsPerSequence: 16 * value, latentsEnabled: true,
    innerSteps: 4, steps: 10, nllBitsPerByte: 3 - index / 10, klBitsPerByte: 0.01,
    boundBitsPerByte: 3.01 - index / 10, suffixNllBitsPerByte: 3.1, wallSeconds: 1,
    tokensPerSecond: 100, resumedFromStep: 0, finishedAt: 'now',
  }));
  return { plan, results };
}

describe('sweepCharts', () => {
  it('should title the charts against latent size when a latent axis is swept', () => {
    const { plan, results } = sweep('latents.perLayer', [1, 2, 4]);
    expect(sweepCharts(plan, results).map((chart) => chart.title)).toEqual([
      'Held-out bound vs latent size', 'Held-out suffix NLL vs latent size',
      'Decoder parameters vs latent size']);
  });

  it('should title the charts against the grid path when no latent axis is swept', () => {
    const { plan, results } = sweep('model.width', [16, 32]);
    expect(sweepCharts(plan, results)[0].title).toBe('Held-out bound vs model.width');
  });

  it('should put bits per token on the y axis when the corpus is synthetic', () => {
    const { plan, results } = sweep('latents.perLayer', [1, 2], ['data.kind=hierarchy',
      'model.sequenceLength=17', 'model.window=4']);
    expect(JSON.stringify(sweepCharts(plan, results)[0].spec)).toContain('bits per token');
  });
});
