// The contract every corpus meets: where training batches and held-out sets come from, in
// plain integer arrays that the training code turns into tensors.
import type { Rng } from '../random.js';
import type { Tokenizer } from './tokenizer.js';

/** A held-out split. Training draws from the third split, `train`. */
export type HeldOutSplit = 'valid' | 'test';

/** The three splits of a corpus. */
export type SplitName = 'train' | HeldOutSplit;

/** How much text one split holds. */
export interface SplitSize {
  documents: number;
  tokens: number;
  /** UTF-8 bytes of the split's text (documents joined by a blank line). */
  bytes: number;
}

/** Sizes per split. `generated`: training sequences are made fresh, train sizes are 0. */
export interface CorpusSummary {
  train: SplitSize;
  valid: SplitSize;
  test: SplitSize;
  generated: boolean;
}

/**
 * Fixed sequences for scoring. Row `i` is `tokens[i * length .. (i + 1) * length)`.
 * A model of sequenceLength T is scored on windows of length T + 1: it reads positions
 * 0..T-1 and predicts positions 1..T, so position 0 of each row is context only.
 */
export interface HeldOutSet {
  /** [count, length] row-major. */
  tokens: Int32Array;
  count: number;
  length: number;
  /** UTF-8 bytes that the scored tokens (positions 1..length-1 of every row) stand for. */
  bytes: number;
  /**
   * Hidden-topic corpus: the table each row was drawn from, [count]. Hierarchy corpus with one
   * sequence per row: the root symbol of each row.
   */
  labels?: Int32Array;
  /**
   * Hierarchy corpus only: the true symbols of every row at levels 1..depth; levels[l - 1] is
   * [count, treesPerRow * branching^(depth - l)] row-major, trees in row order.
   */
  levels?: Int32Array[];
}

/** A tokenized corpus with a training stream and two held-out splits. */
export interface Corpus {
  kind: 'sotu' | 'text' | 'jsonl' | 'hidden-topic' | 'hierarchy';
  tokenizer: Tokenizer;
  /** V, the number of distinct token ids. */
  vocabSize: number;
  summary: CorpusSummary;
  /**
   * B training sequences of `length` tokens, [B, length] row-major: random crops of the
   * training text (hidden-topic: freshly generated sequences). All randomness from `rng`.
   */
  sampleTrainBatch(rng: Rng, batchSize: number, length: number): Int32Array;
  /**
   * Up to `count` windows of `length` tokens, evenly spaced over the split and not
   * overlapping; the same every call. Fewer when the split is short, never none.
   */
  heldOut(split: HeldOutSplit, count: number, length: number): HeldOutSet;
  /**
   * Entropy in bits of the split's byte distribution: the cost per byte of a model that
   * knows only byte frequencies. Hidden-topic: of the held-out tokens (one byte each).
   */
  unigramEntropyBitsPerByte(split: HeldOutSplit): number;
}
