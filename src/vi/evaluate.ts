// Held-out evaluation of a latent thought model (or its AR baseline) with honest numbers:
// NLL and KL apart, the bound scored with fresh noise after the inner loop, suffix NLL with
// latents fitted on the prefix only, and diagnostics that make a collapsed posterior visible.
import { tf, type Tensor } from '../backend/index.js';
import type { Config } from '../config/index.js';
import type { HeldOutSet } from '../data/index.js';
import { tokenNll } from '../decoder/index.js';
import {
  clampLogVar, klToStandardNormal, reparameterise, standardNormal, type Gaussian,
} from '../latents/index.js';
import { deriveRng, type Rng } from '../random.js';
import { fitPosterior, scoredSum, type InferenceBatch } from './inner-loop.js';
import type { LatentModel } from './model.js';
import { nearestCentroidAccuracy, unitVariances } from './diagnostics.js';

/** Every number of one evaluation; losses in nats per token unless named per byte. */
export interface EvalReport {
  sequences: number;
  tokensScored: number;
  nll: number;
  kl: number;
  bound: number;
  nllAtPosteriorMean: number;
  nllAtPriorMean: number;
  suffixNll: number;
  nllBitsPerByte: number;
  klBitsPerByte: number;
  boundBitsPerByte: number;
  suffixNllBitsPerByte: number;
  nllAtPriorMeanBitsPerByte: number;
  nllAtPosteriorMeanBitsPerByte: number;
  klBitsPerSequence: number;
  /** KL per token by decoder layer, nats. */
  klPerLayer: number[];
  activeUnits: number;
  latentUnits: number;
  /** Mean objective (NLL + KL per token) at inner iterates 0..innerSteps. */
  innerTrace: number[];
  /** Share of sequences whose posterior mean is nearest its own topic's centroid. */
  topicAccuracy?: number;
  /** Entropy of the split's byte (or symbol) distribution: the unigram reference. */
  unigramBitsPerByte?: number;
  /** Hidden-topic corpus: exact Bayes references on the same sequences, bits per token. */
  references?: Record<string, number>;
}

interface Totals {
  nll: number; kl: number; meanNll: number; priorNll: number; suffixNll: number;
  klPerLayer: number[]; trace: number[]; means: Float32Array[];
}

function rowsOf(set: HeldOutSet, start: number, count: number): InferenceBatch {
  const width = set.length;
  const slice = set.tokens.subarray(start * width, (start + count) * width);
  const all = tf.tensor2d(slice, [count, width], 'int32');
  const tokens = all.slice([0, 0], [count, width - 1]);
  const targets = all.slice([0, 1], [count, width - 1]);
  all.dispose();
  return { tokens, targets, weights: null };
}

/** Mean over `samples` fresh noise draws of each row's scored NLL sum. -> [B] */
function noisyNll(model: LatentModel, batch: InferenceBatch, posterior: Gaussian,
  config: Config, rng: Rng, samples: number): Tensor {
  return tf.tidy(() => {
    const logVar = clampLogVar(posterior.logVar, config.latents.logVarMin,
      config.latents.logVarMax);
    const draws = Array.from({ length: samples }, () => {
      const z = reparameterise({ mu: posterior.mu, logVar },
        standardNormal(posterior.mu.shape, rng.seed()));
      return scoredSum(tokenNll(model.decoder, batch.tokens, batch.targets, z), batch.weights);
    });
    return tf.addN(draws).div(samples);
  });
}

function suffixWeights(length: number, prefixFraction: number): { prefix: Tensor; suffix: Tensor } {
  const cut = Math.max(1, Math.floor(length * prefixFraction));
  const prefix = new Float32Array(length).map((_, t) => (t < cut ? 1 : 0));
  return { prefix: tf.tensor1d(prefix), suffix: tf.tensor1d(prefix.map((w) => 1 - w)) };
}

function sum(tensor: Tensor): number {
  return tf.tidy(() => tensor.sum().arraySync() as number);
}

function scoreLatentBatch(model: LatentModel, batch: InferenceBatch, config: Config, rng: Rng,
  totals: Totals, weights: { prefix: Tensor; suffix: Tensor }): void {
  const settings = model.inference!;
  const samples = config.eval.noiseSamples;
  const fitted = fitPosterior(model.decoder, batch, settings, rng, true);
  const { posterior } = fitted;
  const bounded = { mu: posterior.mu, logVar: clampLogVar(posterior.logVar,
    settings.logVarMin, settings.logVarMax) };
  totals.nll += sum(noisyNll(model, batch, posterior, config, rng, samples));
  const perLayer = tf.tidy(() => klToStandardNormal(bounded).sum([0, 2, 3]));
  (perLayer.arraySync() as number[]).forEach((value, layer) => {
    totals.klPerLayer[layer] = (totals.klPerLayer[layer] ?? 0) + value;
  });
  totals.kl += sum(perLayer);
  totals.meanNll += sum(tf.tidy(() => tokenNll(model.decoder, batch.tokens, batch.targets,
    posterior.mu)));
  totals.priorNll += sum(tf.tidy(() => tokenNll(model.decoder, batch.tokens, batch.targets,
    tf.zerosLike(posterior.mu))));
  const traced = tf.tidy(() => fitted.trace!.nll.add(fitted.trace!.kl).mul(
    batch.tokens.shape[0] as number).arraySync() as number[]);
  traced.forEach((value, step) => { totals.trace[step] = (totals.trace[step] ?? 0) + value; });
  const mu = posterior.mu.reshape([posterior.mu.shape[0], -1]);
  totals.means.push(...(mu.arraySync() as number[][]).map((row) => Float32Array.from(row)));
  tf.dispose([mu, perLayer, posterior.mu, posterior.logVar, fitted.trace!.nll,
    fitted.trace!.kl, bounded.logVar]);

  const prefixBatch = { ...batch, weights: weights.prefix };
  const prefixFit = fitPosterior(model.decoder, prefixBatch, settings, rng);
  totals.suffixNll += sum(noisyNll(model, { ...batch, weights: weights.suffix },
    prefixFit.posterior, config, rng, samples));
  tf.dispose([prefixFit.posterior.mu, prefixFit.posterior.logVar]);
}

function scoreArBatch(model: LatentModel, batch: InferenceBatch, totals: Totals,
  weights: { suffix: Tensor }): void {
  const nll = tf.tidy(() => tokenNll(model.decoder, batch.tokens, batch.targets, null));
  const all = sum(nll);
  totals.nll += all;
  totals.meanNll += all;
  totals.priorNll += all;
  totals.suffixNll += sum(tf.tidy(() => scoredSum(nll, weights.suffix)));
  nll.dispose();
}

/**
 * Scores `set` (rows of T + 1 tokens) in batches of `config.eval.batchSize`. Noise comes
 * from a stream derived from the run seed and `streamName`, so evaluation repeats exactly.
 */
export function evaluate(model: LatentModel, set: HeldOutSet, config: Config,
  streamName = 'eval'): EvalReport {
  const rng = deriveRng(config.train.seed, streamName);
  const length = set.length - 1;
  const weights = suffixWeights(length, config.eval.prefixFraction);
  const totals: Totals = {
    nll: 0, kl: 0, meanNll: 0, priorNll: 0, suffixNll: 0, klPerLayer: [], trace: [], means: [],
  };
  for (let start = 0; start < set.count; start += config.eval.batchSize) {
    const batch = rowsOf(set, start, Math.min(config.eval.batchSize, set.count - start));
    if (model.inference === null) scoreArBatch(model, batch, totals, weights);
    else scoreLatentBatch(model, batch, config, rng, totals, weights);
    tf.dispose([batch.tokens, batch.targets]);
  }
  const suffixTokens = sum(weights.suffix) * set.count;
  tf.dispose([weights.prefix, weights.suffix]);
  return summarise(totals, set, suffixTokens, set.labels);
}

function summarise(totals: Totals, set: HeldOutSet, suffixTokens: number,
  labels: Int32Array | undefined): EvalReport {
  const tokens = set.count * (set.length - 1);
  const perByte = tokens / set.bytes / Math.LN2;
  const nll = totals.nll / tokens;
  const kl = totals.kl / tokens;
  const variances = totals.means.length > 0 ? unitVariances(totals.means) : [];
  const report: EvalReport = {
    sequences: set.count,
    tokensScored: tokens,
    nll,
    kl,
    bound: nll + kl,
    nllAtPosteriorMean: totals.meanNll / tokens,
    nllAtPriorMean: totals.priorNll / tokens,
    suffixNll: totals.suffixNll / suffixTokens,
    nllBitsPerByte: nll * perByte,
    klBitsPerByte: kl * perByte,
    boundBitsPerByte: (nll + kl) * perByte,
    suffixNllBitsPerByte: (totals.suffixNll / suffixTokens) * perByte,
    nllAtPriorMeanBitsPerByte: (totals.priorNll / tokens) * perByte,
    nllAtPosteriorMeanBitsPerByte: (totals.meanNll / tokens) * perByte,
    klBitsPerSequence: totals.kl / set.count / Math.LN2,
    klPerLayer: totals.klPerLayer.map((value) => value / tokens),
    activeUnits: variances.filter((variance) => variance > 0.01).length,
    latentUnits: variances.length,
    innerTrace: totals.trace.map((value) => value / set.count),
  };
  if (labels !== undefined && totals.means.length > 0) {
    report.topicAccuracy = nearestCentroidAccuracy(totals.means, labels);
  }
  return report;
}
