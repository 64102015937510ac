// Posterior means of many held-out windows, inferred by the model's own inner loop in
// batches, as plain numbers for the analyses.
import { tf } from '../backend/index.js';
import type { Config } from '../config/index.js';
import type { HeldOutSet } from '../data/index.js';
import { UsageError } from '../errors.js';
import { deriveRng } from '../random.js';
import { fitPosterior } from '../vi/inner-loop.js';
import type { LatentModel } from '../vi/model.js';

/** Posterior means of N windows. */
export interface PosteriorMeans {
  /** [N, L, K, Dz] row-major. */
  values: Float64Array;
  count: number;
  layers: number;
  perLayer: number;
  dim: number;
}

/**
 * Fits q(z | x) to every row of `set` (rows of T + 1 tokens, all T targets scored) with the
 * model's inner-loop settings, `config.eval.batchSize` rows at a time; noise from a stream of
 * the run seed named `stream`. Returns the means, [N, L, K, Dz].
 */
export function posteriorMeans(model: LatentModel, set: HeldOutSet, config: Config,
  stream = 'analyze'): PosteriorMeans {
  if (model.inference === null) {
    throw new UsageError('the run is an AR baseline (latents.enabled false): it has no latents '
      + 'to analyse; pass a run trained with latents');
  }
  const rng = deriveRng(config.train.seed, stream);
  const { layers, latentDim } = model.decoder.shape;
  const perLayer = model.inference.latentsPerLayer;
  const floats = layers * perLayer * latentDim;
  const values = new Float64Array(set.count * floats);
  const width = set.length;
  for (let start = 0; start < set.count; start += config.eval.batchSize) {
    const rows = Math.min(config.eval.batchSize, set.count - start);
    const all = tf.tensor2d(set.tokens.subarray(start * width, (start + rows) * width),
      [rows, width], 'int32');
    const batch = { tokens: all.slice([0, 0], [rows, width - 1]),
      targets: all.slice([0, 1], [rows, width - 1]), weights: null };
    const { posterior } = fitPosterior(model.decoder, batch, model.inference, rng);
    values.set(posterior.mu.dataSync(), start * floats);
    tf.dispose([all, batch.tokens, batch.targets, posterior.mu, posterior.logVar]);
  }
  return { values, count: set.count, layers, perLayer, dim: latentDim };
}

/** The vectors of chosen (layer, slot) cells of every row, concatenated. [N, cells * Dz] */
export function latentCells(means: PosteriorMeans,
  cells: readonly { layer: number; slot: number }[]): Float64Array {
  const { count, layers, perLayer, dim } = means;
  const out = new Float64Array(count * cells.length * dim);
  for (let row = 0; row < count; row++) {
    cells.forEach(({ layer, slot }, index) => {
      const from = ((row * layers + layer) * perLayer + slot) * dim;
      out.set(means.values.subarray(from, from + dim), (row * cells.length + index) * dim);
    });
  }
  return out;
}
