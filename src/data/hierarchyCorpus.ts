// The hierarchy corpus as a decoder reads it. A window of T + 1 tokens holds whole sequences
// of the random hierarchy model, each led by a separator token, so a window never cuts a tree
// and (with one sequence per window) the latents of a window are the latents of one tree.
import { DataError } from '../errors.js';
import { deriveRng, type Rng } from '../random.js';
import type { Config } from '../config/index.js';
import type { Corpus, HeldOutSet, HeldOutSplit } from './corpus.js';
import {
  generateTree, sampleGrammar, sequenceTokens, type Grammar, type SymbolLevels,
} from './hierarchy.js';
import { scoredTokenEntropy } from './hiddenTopic.js';
import { symbolsTokenizer } from './tokenizer.js';

/** A hierarchy corpus exposes its grammar and how windows are laid out. */
export interface HierarchyCorpus extends Corpus {
  kind: 'hierarchy';
  grammar: Grammar;
  /** The separator's token id (vocab): it opens every sequence in a window. */
  separator: number;
  /** Whole sequences per window of sequenceLength + 1 tokens. */
  treesPerWindow: number;
}

/** True when a corpus is the hierarchy corpus. */
export function isHierarchyCorpus(corpus: Corpus): corpus is HierarchyCorpus {
  return corpus.kind === 'hierarchy';
}

/** Sequences per window, or a DataError when `length` is not whole sequences. */
export function treesPerWindow(grammar: Grammar, length: number): number {
  const span = sequenceTokens(grammar) + 1;
  if (!Number.isInteger(length) || length < span || length % span !== 0) {
    throw new DataError(`hierarchy: a window of ${length} tokens is not a whole number of `
      + `sequences of ${span} (separator + ${span - 1} tokens); set model.sequenceLength to `
      + `${span - 1} or ${2 * span - 1}`);
  }
  return length / span;
}

/** Rows of whole trees with their symbols; `draw` supplies the trees in order. */
function layOut(grammar: Grammar, rows: number, length: number,
  draw: () => SymbolLevels): { tokens: Int32Array; levels: Int32Array[] } {
  const perRow = treesPerWindow(grammar, length);
  const n = sequenceTokens(grammar);
  const tokens = new Int32Array(rows * length);
  const levels = Array.from({ length: grammar.depth },
    (_, index) => new Int32Array(rows * perRow * grammar.branching ** (grammar.depth - index - 1)));
  for (let tree = 0; tree < rows * perRow; tree++) {
    const symbols = draw();
    tokens[tree * (n + 1)] = grammar.vocab;
    tokens.set(symbols[0], tree * (n + 1) + 1);
    for (let level = 1; level <= grammar.depth; level++) {
      levels[level - 1].set(symbols[level], tree * symbols[level].length);
    }
  }
  return { tokens, levels };
}

function fixedSet(grammar: Grammar, data: Config['data'], split: HeldOutSplit,
  request: { count: number; length: number }): HeldOutSet {
  const rng = deriveRng(data.rulesSeed, 'hierarchy', split);
  const count = Math.max(1, Math.min(request.count, data.heldOutSequences));
  const { tokens, levels } = layOut(grammar, count, request.length,
    () => generateTree(grammar, rng));
  const set: HeldOutSet = { tokens, count, length: request.length, levels,
    bytes: count * (request.length - 1) };
  if (treesPerWindow(grammar, request.length) === 1) set.labels = levels[grammar.depth - 1];
  return set;
}

/** A training stream: fresh trees from the batch stream, or draws from a fixed pool. */
function trainingTrees(grammar: Grammar, data: Config['data']): (rng: Rng) => SymbolLevels {
  if (data.trainSequences === 0) return (rng) => generateTree(grammar, rng);
  const poolRng = deriveRng(data.rulesSeed, 'hierarchy', 'train-pool');
  const pool = Array.from({ length: data.trainSequences }, () => generateTree(grammar, poolRng));
  return (rng) => pool[rng.int(pool.length)];
}

/**
 * The hierarchy corpus of a config's `data` section (depth, vocab, rules, branching). The
 * grammar and both held-out sets come from `data.rulesSeed`, so they stay fixed whatever the
 * run seed; with `data.trainSequences` > 0 training draws from a fixed pool of that many
 * sequences. Each token counts as one byte, so bits per byte are bits per token.
 */
export function createHierarchyCorpus(data: Config['data'],
  sequenceLength: number): HierarchyCorpus {
  const grammar = sampleGrammar(data, data.rulesSeed);
  const perWindow = treesPerWindow(grammar, sequenceLength + 1);
  const drawTrain = trainingTrees(grammar, data);
  const vocabSize = data.vocab + 1;
  const heldOut = (split: HeldOutSplit, count: number, length: number) =>
    fixedSet(grammar, data, split, { count, length });
  const setTokens = data.heldOutSequences * (sequenceLength + 1);
  const setSize = { documents: data.heldOutSequences * perWindow, tokens: setTokens,
    bytes: setTokens };
  const trainSize = data.trainSequences === 0 ? { documents: 0, tokens: 0, bytes: 0 }
    : { documents: data.trainSequences, tokens: 0, bytes: 0 };
  return {
    kind: 'hierarchy',
    tokenizer: symbolsTokenizer(vocabSize),
    vocabSize,
    grammar,
    separator: data.vocab,
    treesPerWindow: perWindow,
    summary: { train: trainSize, valid: setSize, test: setSize, generated: true },
    sampleTrainBatch: (rng, batchSize, length) =>
      layOut(grammar, batchSize, length, () => drawTrain(rng)).tokens,
    heldOut,
    unigramEntropyBitsPerByte: (split) =>
      scoredTokenEntropy(heldOut(split, data.heldOutSequences, sequenceLength + 1), vocabSize),
  };
}
