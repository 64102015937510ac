// Unit conversions and plug-in entropies shared by corpora, references and reports.
import { DataError } from '../errors.js';

/**
 * Nats per token turned into bits per byte: the total cost `natsPerToken * tokens` spread over
 * the `bytes` those tokens stand for. Comparable across tokenizers.
 */
export function bitsPerByte(natsPerToken: number, tokens: number, bytes: number): number {
  if (!(bytes > 0)) {
    throw new DataError(`bitsPerByte: bytes is ${bytes}; pass the positive byte count of a set`);
  }
  return (natsPerToken * tokens) / (bytes * Math.LN2);
}

/**
 * What the "per byte" numbers of a corpus count. Text is scored per UTF-8 byte; the synthetic
 * corpora (hidden-topic, hierarchy) count each symbol as one byte, so theirs are per token.
 */
export function scoreUnit(dataKind: string): 'byte' | 'token' {
  return dataKind === 'hidden-topic' || dataKind === 'hierarchy' ? 'token' : 'byte';
}

/** Entropy in bits of the distribution proportional to `counts` (zeros allowed). */
export function entropyBits(counts: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  if (total === 0) return 0;
  let entropy = 0;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] > 0) {
      const p = counts[i] / total;
      entropy -= p * Math.log2(p);
    }
  }
  return entropy;
}

/**
 * How many past tokens (itself included) a causal decoder can see at its output: each of
 * `layers` sliding-window layers of `window` tokens reaches `window - 1` further back.
 */
export function receptiveField(layers: number, window: number): number {
  return layers * (window - 1) + 1;
}
