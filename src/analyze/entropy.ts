// Forking tokens: the decoder's predictive entropy at every held-out token, the share of
// tokens in the top fifth of that distribution, and the share of the loss they carry.
import { tf, type Tensor } from '../backend/index.js';
import type { Config } from '../config/index.js';
import type { HeldOutSet, Tokenizer } from '../data/index.js';
import { decoderLogits } from '../decoder/index.js';
import type { LatentModel } from '../vi/model.js';
import { posteriorMeans } from './posterior-means.js';

/** Entropy and NLL in nats at every scored position of a set, [N, T] row-major. */
export interface TokenScores {
  entropy: Float64Array;
  nll: Float64Array;
  count: number;
  length: number;
}

/**
 * Predictive entropy and NLL of each target. tokens, targets: [B, T] int32; latents:
 * [B, L, K, Dz] or null -> { entropy, nll }: [B, T] each, nats.
 */
export function predictiveScores(model: LatentModel, tokens: Tensor, targets: Tensor,
  latents: Tensor | null): { entropy: Tensor; nll: Tensor } {
  return tf.tidy(() => {
    const logits = decoderLogits(model.decoder, tokens, latents);
    const logProbabilities = tf.logSoftmax(logits);
    const entropy = logProbabilities.exp().mul(logProbabilities).sum(-1).neg();
    const vocab = logits.shape[2] as number;
    const nll = logProbabilities.mul(tf.oneHot(targets, vocab)).sum(-1).neg();
    return { entropy, nll };
  });
}

/**
 * Scores every row of `set`: latents at the posterior mean fitted to the row by the model's
 * inner loop (`latents: 'posterior'`), at the prior mean (`'prior'`), or none (AR baseline).
 */
export function scoreTokens(model: LatentModel, set: HeldOutSet, config: Config,
  latents: 'posterior' | 'prior'): TokenScores {
  const length = set.length - 1;
  const means = model.inference !== null && latents === 'posterior'
    ? posteriorMeans(model, set, config, 'entropy') : null;
  const entropy = new Float64Array(set.count * length);
  const nll = new Float64Array(set.count * length);
  const { layers, latentDim } = model.decoder.shape;
  const shape = [layers, model.inference?.latentsPerLayer ?? 0, latentDim];
  const floats = shape[0] * shape[1] * shape[2];
  for (let start = 0; start < set.count; start += config.eval.batchSize) {
    const rows = Math.min(config.eval.batchSize, set.count - start);
    const all = tf.tensor2d(set.tokens.subarray(start * set.length, (start + rows) * set.length),
      [rows, set.length], 'int32');
    const tokens = all.slice([0, 0], [rows, length]);
    const targets = all.slice([0, 1], [rows, length]);
    const z = model.inference === null ? null : means === null
      ? tf.zeros([rows, ...shape])
      : tf.tensor4d(Float32Array.from(means.values.subarray(start * floats,
        (start + rows) * floats)),
        [rows, shape[0], shape[1], shape[2]]);
    const scored = predictiveScores(model, tokens, targets, z);
    entropy.set(scored.entropy.dataSync(), start * length);
    nll.set(scored.nll.dataSync(), start * length);
    tf.dispose([all, tokens, targets, scored.entropy, scored.nll, ...(z === null ? [] : [z])]);
  }
  return { entropy, nll, count: set.count, length };
}

export interface ForkingExample {
  entropyBits: number;
  nllBits: number;
  /** The token, and the text of the window before and after it. */
  token: string;
  before: string;
  after: string;
}

export interface EntropyReport {
  latents: 'posterior' | 'prior' | 'none';
  tokens: number;
  meanEntropyBits: number;
  meanNllBits: number;
  /** Entropy in bits at quantiles 0.1, 0.25, 0.5, 0.75, 0.8, 0.9, 0.99. */
  quantiles: { q: number; bits: number }[];
  /** The 80th percentile of entropy, bits. */
  threshold: number;
  /** Share of tokens with entropy above the threshold. */
  topQuintileShare: number;
  /** Share of the total NLL those tokens carry. */
  topQuintileLossShare: number;
  /** Counts of tokens per entropy bin, bins of equal width from 0 to the largest entropy. */
  histogram: { fromBits: number; toBits: number; tokens: number }[];
  /** Mean entropy in bits at each scored position 1..T of a window. */
  byPosition: number[];
  examples: ForkingExample[];
}

/** The value below which a share `q` of the sorted values lie (linear interpolation). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const at = q * (sorted.length - 1);
  const low = Math.floor(at);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
}

/** Share of tokens above the 80th percentile of entropy and their share of the loss. */
export function topQuintile(entropy: ArrayLike<number>, nll: ArrayLike<number>) {
  const sorted = Float64Array.from(entropy).sort();
  const threshold = quantile(sorted, 0.8);
  let above = 0;
  let lossAbove = 0;
  let loss = 0;
  for (let i = 0; i < entropy.length; i++) {
    loss += nll[i];
    if (entropy[i] > threshold) {
      above += 1;
      lossAbove += nll[i];
    }
  }
  return { threshold, share: above / entropy.length, lossShare: loss > 0 ? lossAbove / loss : 0,
    sorted };
}

function histogram(values: Float64Array, bins: number): EntropyReport['histogram'] {
  const top = Math.max(1e-9, values.reduce((a, b) => Math.max(a, b), 0));
  const counts = new Array<number>(bins).fill(0);
  values.forEach((value) => { counts[Math.min(bins - 1, Math.floor((value / top) * bins))] += 1; });
  return counts.map((tokens, bin) => ({ fromBits: (bin * top) / bins,
    toBits: ((bin + 1) * top) / bins, tokens }));
}

/** The highest-entropy token of each window, the `count` highest of those, in context. */
function examples(scores: TokenScores, set: HeldOutSet, tokenizer: Tokenizer,
  count: number): ForkingExample[] {
  const best = Array.from({ length: scores.count }, (_, row) => {
    let top = row * scores.length;
    for (let t = top; t < (row + 1) * scores.length; t++) {
      if (scores.entropy[t] > scores.entropy[top]) top = t;
    }
    return top;
  }).sort((a, b) => scores.entropy[b] - scores.entropy[a]).slice(0, count);
  return best.map((flat) => {
    const row = Math.floor(flat / scores.length);
    const position = (flat % scores.length) + 1;
    const window = Array.from(set.tokens.subarray(row * set.length, (row + 1) * set.length));
    return { entropyBits: scores.entropy[flat] / Math.LN2, nllBits: scores.nll[flat] / Math.LN2,
      token: tokenizer.decode([window[position]]),
      before: tokenizer.decode(window.slice(Math.max(0, position - 24), position)),
      after: tokenizer.decode(window.slice(position + 1, position + 9)) };
  });
}

/** The whole entropy report of scored tokens. */
export function entropyReport(scores: TokenScores, set: HeldOutSet, tokenizer: Tokenizer,
  latents: EntropyReport['latents']): EntropyReport {
  const bits = scores.entropy.map((value) => value / Math.LN2);
  const { threshold, share, lossShare, sorted } = topQuintile(bits, scores.nll);
  const byPosition = Array.from({ length: scores.length }, (_, t) => {
    let total = 0;
    for (let row = 0; row < scores.count; row++) total += bits[row * scores.length + t];
    return total / scores.count;
  });
  const total = (values: Float64Array) => values.reduce((a, b) => a + b, 0);
  return {
    latents, tokens: bits.length,
    meanEntropyBits: total(bits) / bits.length,
    meanNllBits: total(scores.nll) / scores.nll.length / Math.LN2,
    quantiles: [0.1, 0.25, 0.5, 0.75, 0.8, 0.9, 0.99]
      .map((q) => ({ q, bits: quantile(sorted, q) })),
    threshold, topQuintileShare: share, topQuintileLossShare: lossShare,
    histogram: histogram(bits, 24), byPosition, examples: examples(scores, set, tokenizer, 12),
  };
}
