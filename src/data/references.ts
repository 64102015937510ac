// Exact Bayes references on the hidden-topic corpus: what the best possible predictors score
// on a held-out set, so a model's numbers can be read against floors that are known exactly.
import { DataError, ShapeError } from '../errors.js';
import type { HeldOutSet } from './corpus.js';
import { type HiddenTopicCorpus, isHiddenTopicCorpus, scoredTokenEntropy } from './hiddenTopic.js';

/**
 * Bits per token, averaged over every row and over the predicted positions 1..length-1 (the
 * tokens a model of sequenceLength = length - 1 predicts; position 0 is context only).
 */
export interface HiddenTopicReferences {
  /** The true table known: the best any predictor can do. */
  tableKnown: number;
  /** Posterior mixture over tables given the whole prefix: the ideal unwindowed causal model. */
  fullContextBayes: number;
  /**
   * The ideal predictor that sees only the last `receptiveField` tokens and knows their
   * positions: table weights from the window's transitions and from how likely its first
   * symbol is at that position under each table. A floor for any model with that field.
   */
  windowedBayes: number;
  /** The same, but the window's first symbol counts as uniform (it ignores where chains sit). */
  windowedBayesUniformStart: number;
  receptiveField: number;
  /** The ideal predictor that sees only the previous token (receptive field 1). */
  previousToken: number;
  /** Plug-in entropy of the scored tokens: a model that knows only symbol frequencies. */
  unigram: number;
  /** log2(topics): what sending the table id costs once per sequence. */
  messageBitsPerSequence: number;
  /** Per predicted position, [length - 1]: entry t - 1 scores token t. */
  perPosition: { tableKnown: Float64Array; fullContextBayes: Float64Array;
    windowedBayes: Float64Array };
}

interface Chains {
  alphabet: number;
  topics: number;
  tables: Float64Array;
  /** Natural logarithms of `tables`; -Infinity where a transition is impossible. */
  logTables: Float64Array;
  /**
   * [length, topics, alphabet]: log p(x_s = a | table k), the chain's marginal at position s
   * from the uniform x0; all zero when the window start is to count as uniform.
   */
  logStart: Float64Array;
}

/** log p(x_s = a | table k) for every position s < length, starting from a uniform x0. */
function logMarginals(tables: Float64Array, topics: number, alphabet: number, length: number) {
  const logStart = new Float64Array(length * topics * alphabet);
  let current = new Float64Array(topics * alphabet).fill(1 / alphabet);
  for (let s = 0; s < length; s++) {
    logStart.set(current.map(Math.log), s * topics * alphabet);
    const next = new Float64Array(topics * alphabet);
    for (let k = 0; k < topics; k++) {
      for (let from = 0; from < alphabet; from++) {
        const mass = current[k * alphabet + from];
        const row = (k * alphabet + from) * alphabet;
        for (let to = 0; to < alphabet; to++) next[k * alphabet + to] += mass * tables[row + to];
      }
    }
    current = next;
  }
  return logStart;
}

/** Mean over rows of -log2 p(x_t | true table), per predicted position. */
function scoreTableKnown(set: HeldOutSet, labels: Int32Array, chains: Chains): Float64Array {
  const { alphabet, tables } = chains;
  const bits = new Float64Array(set.length - 1);
  for (let row = 0; row < set.count; row++) {
    const x = set.tokens.subarray(row * set.length, (row + 1) * set.length);
    for (let t = 1; t < set.length; t++) {
      const p = tables[(labels[row] * alphabet + x[t - 1]) * alphabet + x[t]];
      bits[t - 1] -= Math.log2(p) / set.count;
    }
  }
  return bits;
}

/** -log2 of the mixture prediction of x[t] under (unnormalised) table log-weights. */
function mixtureBits(x: Int32Array, t: number, logWeights: Float64Array, chains: Chains) {
  const { alphabet, topics, tables } = chains;
  let largest = -Infinity;
  for (let k = 0; k < topics; k++) largest = Math.max(largest, logWeights[k]);
  let mass = 0;
  let predicted = 0;
  for (let k = 0; k < topics; k++) {
    const weight = Math.exp(logWeights[k] - largest);
    mass += weight;
    predicted += weight * tables[(k * alphabet + x[t - 1]) * alphabet + x[t]];
  }
  return -Math.log2(predicted / mass);
}

/** Adds log p(x[s] | x[s-1], table k) to every table's log-weight. */
function addTransition(x: Int32Array, s: number, logWeights: Float64Array, chains: Chains) {
  const { alphabet, topics, logTables } = chains;
  for (let k = 0; k < topics; k++) {
    logWeights[k] += logTables[(k * alphabet + x[s - 1]) * alphabet + x[s]];
  }
}

/**
 * Mean bits per predicted position of the Bayes predictor that sees x[start..t-1], with
 * start = max(0, t - field): table weights from the first visible symbol's marginal at
 * `start` and the transitions inside the window. A field of at least length - 1 is the full
 * prefix, whose weights are carried forward instead of recomputed.
 */
function scoreWindowed(set: HeldOutSet, field: number, chains: Chains): Float64Array {
  const { alphabet, topics, logStart } = chains;
  const bits = new Float64Array(set.length - 1);
  const logWeights = new Float64Array(topics);
  const full = field >= set.length - 1;
  for (let row = 0; row < set.count; row++) {
    const x = set.tokens.subarray(row * set.length, (row + 1) * set.length);
    for (let t = 1; t < set.length; t++) {
      const start = Math.max(0, t - field);
      if (!full || t === 1) {
        for (let k = 0; k < topics; k++) {
          logWeights[k] = logStart[(start * topics + k) * alphabet + x[start]];
        }
        for (let s = start + 1; s < t; s++) addTransition(x, s, logWeights, chains);
      } else {
        addTransition(x, t - 1, logWeights, chains);
      }
      bits[t - 1] += mixtureBits(x, t, logWeights, chains) / set.count;
    }
  }
  return bits;
}

function mean(values: Float64Array): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function checkSet(corpus: HiddenTopicCorpus, set: HeldOutSet, field: number): Int32Array {
  if (set.length < 2 || set.tokens.length !== set.count * set.length) {
    throw new ShapeError('hiddenTopicReferences tokens', `[${set.count}, ${set.length}] with `
      + 'length >= 2', [set.tokens.length]);
  }
  if (!set.labels || set.labels.length !== set.count) {
    throw new DataError('hiddenTopicReferences: the set has no table label per row; pass a '
      + 'set from the hidden-topic corpus\'s heldOut or sampleLabelledBatch');
  }
  if (set.tokens.some((token) => token < 0 || token >= corpus.alphabet)) {
    throw new DataError(`hiddenTopicReferences: a token lies outside [0, ${corpus.alphabet}); `
      + 'pass a set from the same corpus');
  }
  if (!Number.isInteger(field) || field < 1) {
    throw new DataError(`hiddenTopicReferences: receptiveField ${field} must be an integer `
      + '>= 1; compute it with receptiveField(layers, window)');
  }
  return set.labels;
}

/**
 * Exact references for a labelled set of the hidden-topic corpus, in bits per token over the
 * predicted positions 1..length-1. `receptiveField` is how many tokens the windowed predictor
 * sees (itself and its predecessors), e.g. `receptiveField(layers, window)`.
 */
export function hiddenTopicReferences(
  corpus: HiddenTopicCorpus,
  set: HeldOutSet,
  receptiveField: number,
): HiddenTopicReferences {
  if (!isHiddenTopicCorpus(corpus)) {
    throw new DataError(`hiddenTopicReferences: corpus kind is "${(corpus as { kind: string })
      .kind}"; exact references exist only for data.kind "hidden-topic"`);
  }
  const labels = checkSet(corpus, set, receptiveField);
  const { alphabet, topics, tables } = corpus;
  const chains: Chains = { alphabet, topics, tables, logTables: tables.map(Math.log),
    logStart: logMarginals(tables, topics, alphabet, set.length) };
  const uniformStart = { ...chains, logStart: new Float64Array(chains.logStart.length) };

  const perPosition = {
    tableKnown: scoreTableKnown(set, labels, chains),
    fullContextBayes: scoreWindowed(set, set.length, chains),
    windowedBayes: scoreWindowed(set, receptiveField, chains),
  };
  return {
    tableKnown: mean(perPosition.tableKnown),
    fullContextBayes: mean(perPosition.fullContextBayes),
    windowedBayes: mean(perPosition.windowedBayes),
    windowedBayesUniformStart: mean(scoreWindowed(set, receptiveField, uniformStart)),
    receptiveField,
    previousToken: mean(scoreWindowed(set, 1, chains)),
    unigram: scoredTokenEntropy(set, corpus.alphabet),
    messageBitsPerSequence: Math.log2(corpus.topics),
    perPosition,
  };
}
