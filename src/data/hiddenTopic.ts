// The synthetic hidden-topic corpus: each sequence follows one of several random Markov
// tables, drawn once per sequence, so the table id is a latent that a whole sequence reveals.
import { DataError } from '../errors.js';
import { deriveRng, type Rng } from '../random.js';
import type { Config } from '../config/index.js';
import type { Corpus, HeldOutSet, HeldOutSplit } from './corpus.js';
import { sampleDirichlet } from './dirichlet.js';
import { entropyBits } from './metrics.js';
import { symbolsTokenizer } from './tokenizer.js';

/** Sequences with the table each was drawn from. */
export interface LabelledBatch {
  /** [B, length] row-major. */
  tokens: Int32Array;
  /** [B], the table id of each row. */
  labels: Int32Array;
}

/** A hidden-topic corpus exposes its tables, so exact references can be computed. */
export interface HiddenTopicCorpus extends Corpus {
  kind: 'hidden-topic';
  topics: number;
  alphabet: number;
  /**
   * [topics, alphabet, alphabet] row-major: entry (k, i, j) is the probability that symbol j
   * follows symbol i under table k. Each row sums to 1.
   */
  tables: Float64Array;
  /** Fresh sequences with their table ids, all randomness from `rng`. */
  sampleLabelledBatch(rng: Rng, batchSize: number, length: number): LabelledBatch;
}

/** True when a corpus is the hidden-topic corpus. */
export function isHiddenTopicCorpus(corpus: Corpus): corpus is HiddenTopicCorpus {
  return corpus.kind === 'hidden-topic';
}

/** Draws every row of every table from the symmetric Dirichlet(concentration). */
export function sampleTables(
  topics: number,
  alphabet: number,
  concentration: number,
  tableSeed: number,
): Float64Array {
  const rng = deriveRng(tableSeed, 'hidden-topic', 'tables');
  const tables = new Float64Array(topics * alphabet * alphabet);
  for (let row = 0; row < topics * alphabet; row++) {
    tables.set(sampleDirichlet(alphabet, concentration, rng), row * alphabet);
  }
  return tables;
}

/** The symbol whose cumulative probability first exceeds `u`; never a zero-probability one. */
function drawSymbol(tables: Float64Array, rowStart: number, alphabet: number, u: number) {
  let cumulative = 0;
  let lastPossible = 0;
  for (let symbol = 0; symbol < alphabet; symbol++) {
    const p = tables[rowStart + symbol];
    if (p === 0) continue;
    cumulative += p;
    lastPossible = symbol;
    if (u < cumulative) return symbol;
  }
  // Rounding can leave the total a hair below 1.
  return lastPossible;
}

/** `batchSize` sequences: table uniform, first symbol uniform, then the table's chain. */
export function generateSequences(
  tables: Float64Array,
  shape: { topics: number; alphabet: number },
  rng: Rng,
  request: { batchSize: number; length: number },
): LabelledBatch {
  const { topics, alphabet } = shape;
  const { batchSize, length } = request;
  if (!Number.isInteger(batchSize) || batchSize < 1 || !Number.isInteger(length) || length < 1) {
    throw new DataError(
      `hidden-topic: ${batchSize} sequences of ${length} symbols requested; both must be `
        + 'positive integers',
    );
  }
  const tokens = new Int32Array(batchSize * length); // [B, length]
  const labels = new Int32Array(batchSize);
  for (let row = 0; row < batchSize; row++) {
    const table = rng.int(topics);
    labels[row] = table;
    let symbol = rng.int(alphabet);
    tokens[row * length] = symbol;
    for (let t = 1; t < length; t++) {
      symbol = drawSymbol(tables, (table * alphabet + symbol) * alphabet, alphabet, rng.next());
      tokens[row * length + t] = symbol;
    }
  }
  return { tokens, labels };
}

/** The fixed held-out set of a split: the first `count` sequences of its own stream. */
function fixedSet(
  tables: Float64Array,
  data: Config['data'],
  split: HeldOutSplit,
  request: { count: number; length: number },
): HeldOutSet {
  const { count, length } = request;
  if (length < 2) {
    throw new DataError(`heldOut: length ${length} must be at least 2 (context and target)`);
  }
  const rng = deriveRng(data.tableSeed, 'hidden-topic', split);
  const batchSize = Math.min(count, data.heldOutSequences);
  const { tokens, labels } = generateSequences(tables, data, rng, { batchSize, length });
  return { tokens, labels, count: labels.length, length, bytes: labels.length * (length - 1) };
}

/**
 * The hidden-topic corpus of `data.topics` tables over `data.alphabet` symbols. Tables come
 * from `data.tableSeed`; valid and test sets from two streams derived from it, so they stay
 * fixed whatever the run seed. Each symbol counts as one byte, so bits per byte reported for
 * this corpus are bits per token. `data.tokenizer` is ignored: tokens are the symbols.
 */
export function createHiddenTopicCorpus(
  data: Config['data'],
  sequenceLength: number,
): HiddenTopicCorpus {
  const { topics, alphabet, concentration, tableSeed, heldOutSequences } = data;
  const tables = sampleTables(topics, alphabet, concentration, tableSeed);
  const heldOut = (split: HeldOutSplit, count: number, length: number) =>
    fixedSet(tables, data, split, { count, length });
  const sampleLabelledBatch = (rng: Rng, batchSize: number, length: number) =>
    generateSequences(tables, data, rng, { batchSize, length });
  const setTokens = heldOutSequences * (sequenceLength + 1);
  const setSize = { documents: heldOutSequences, tokens: setTokens, bytes: setTokens };
  return {
    kind: 'hidden-topic',
    tokenizer: symbolsTokenizer(alphabet),
    vocabSize: alphabet,
    topics,
    alphabet,
    tables,
    summary: { train: { documents: 0, tokens: 0, bytes: 0 }, valid: setSize, test: setSize,
      generated: true },
    sampleLabelledBatch,
    sampleTrainBatch: (rng, batchSize, length) =>
      sampleLabelledBatch(rng, batchSize, length).tokens,
    heldOut,
    unigramEntropyBitsPerByte: (split) =>
      scoredTokenEntropy(heldOut(split, heldOutSequences, sequenceLength + 1), alphabet),
  };
}

/** Plug-in entropy in bits of the symbols at the scored positions 1..length-1 of a set. */
export function scoredTokenEntropy(
  set: { tokens: Int32Array; count: number; length: number },
  alphabet: number,
): number {
  const counts = new Float64Array(alphabet);
  for (let row = 0; row < set.count; row++) {
    for (let t = 1; t < set.length; t++) counts[set.tokens[row * set.length + t]]++;
  }
  return entropyBits(counts);
}
