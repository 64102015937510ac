// Sample efficiency: held-out NLL of the LTM and of its AR baseline (the same decoder without
// latents) against the number of training sequences, on the hierarchy corpus at several
// depths. Every cell trains in memory from the same config with the same seed.
import { resolveConfig, type Config } from '../config/index.js';
import { hierarchyEntropyBits } from '../data/index.js';
import { disposeDecoder } from '../decoder/index.js';
import { ConfigError } from '../errors.js';
import { train } from '../train/trainer.js';

export interface EfficiencyRow {
  depth: number;
  trainSequences: number;
  model: 'ltm' | 'ar';
  /** Held-out numbers on the validation split, bits per token. */
  nll: number;
  kl: number;
  bound: number;
  suffixNll: number;
  wallSeconds: number;
}

export interface SampleEfficiencyReport {
  sizes: number[];
  depths: number[];
  steps: number;
  /** Exact entropy of the source per scored token at each depth, bits: the best NLL. */
  sourceEntropy: { depth: number; bits: number }[];
  rows: EfficiencyRow[];
}

export type EfficiencyEvent = { type: 'cell'; index: number; total: number; row: EfficiencyRow };

/**
 * The config of one depth: one sequence per window (model.sequenceLength = branching^depth)
 * and the self-attention window scaled by the same factor, so it covers the same share.
 */
export function configAtDepth(base: Config, depth: number): Config {
  const length = base.data.branching ** depth;
  const window = Math.max(1, Math.min(length,
    Math.round((base.model.window * length) / base.model.sequenceLength)));
  return resolveConfig(base, [`data.depth=${depth}`, `model.sequenceLength=${length}`,
    `model.window=${window}`]);
}

async function trainCell(config: Config, model: 'ltm' | 'ar'): Promise<EfficiencyRow> {
  const result = await train(config, { runDir: null });
  disposeDecoder(result.model.decoder);
  const report = result.evaluation!;
  return {
    depth: config.data.depth, trainSequences: config.data.trainSequences, model,
    nll: report.nllBitsPerByte, kl: report.klBitsPerByte, bound: report.boundBitsPerByte,
    suffixNll: report.suffixNllBitsPerByte, wallSeconds: result.wallSeconds,
  };
}

/** Trains the LTM and the AR baseline at every depth and training-set size. */
export async function sampleEfficiency(base: Config, sizes: number[], depths: number[],
  onEvent?: (event: EfficiencyEvent) => void): Promise<SampleEfficiencyReport> {
  if (base.data.kind !== 'hierarchy') {
    throw new ConfigError(`sample-efficiency: data.kind is "${base.data.kind}"; it measures the `
      + 'hierarchy corpus, so pass a config with data.kind "hierarchy" (configs/hierarchy.json)');
  }
  const rows: EfficiencyRow[] = [];
  const total = depths.length * sizes.length * 2;
  for (const depth of depths) {
    const atDepth = configAtDepth(base, depth);
    for (const size of sizes) {
      for (const model of ['ltm', 'ar'] as const) {
        const config = resolveConfig(atDepth, [`data.trainSequences=${size}`,
          `latents.enabled=${model === 'ltm'}`]);
        const row = await trainCell(config, model);
        rows.push(row);
        onEvent?.({ type: 'cell', index: rows.length, total, row });
      }
    }
  }
  const sourceEntropy = depths.map((depth) => {
    const config = configAtDepth(base, depth);
    return { depth, bits: hierarchyEntropyBits(config.data, config.model.sequenceLength) };
  });
  return { sizes, depths, steps: base.train.steps, sourceEntropy, rows };
}
