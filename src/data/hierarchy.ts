// The synthetic hierarchy corpus: a random hierarchy model (after Cagnetta et al., 2024). A
// root symbol expands level by level through random synonymous productions down to tokens,
// so every sequence comes with its true latent symbols at each level.
import { DataError } from '../errors.js';
import { deriveRng, type Rng } from '../random.js';
import type { Config } from '../config/index.js';
import type { Corpus, HeldOutSet, HeldOutSplit } from './corpus.js';
import { entropyBits } from './metrics.js';
import { symbolsTokenizer } from './tokenizer.js';

/** The shape of a random hierarchy model. */
export interface HierarchyShape {
  /** Levels of productions; level `depth` is the root, level 0 the tokens. */
  depth: number;
  /** Symbols per level. */
  vocab: number;
  /** Synonymous productions per symbol. */
  rules: number;
  /** Children per production. */
  branching: number;
}

/** A grammar: for each level 1..depth, the children of every (symbol, rule). */
export interface Grammar extends HierarchyShape {
  /**
   * productions[l - 1] for level l: [vocab, rules, branching] row-major; entry (a, r, c) is
   * child c (a symbol of level l - 1) of rule r of symbol a.
   */
  productions: Int32Array[];
}

/** One sequence's symbols at every level: levels[0] the tokens, levels[depth] the root. */
export type SymbolLevels = Int32Array[];

/** Tokens per sequence, branching^depth. */
export function sequenceTokens(shape: HierarchyShape): number {
  return shape.branching ** shape.depth;
}

function checkShape(shape: HierarchyShape): void {
  const { depth, vocab, rules, branching } = shape;
  const whole = [depth, vocab, rules, branching].every((n) => Number.isInteger(n) && n >= 1);
  if (!whole || vocab < 2 || branching < 2) {
    throw new DataError(`hierarchy: depth ${depth}, vocab ${vocab}, rules ${rules}, branching `
      + `${branching}; all must be whole numbers, vocab and branching at least 2`);
  }
  if (rules * vocab > vocab ** branching) {
    throw new DataError(`hierarchy: ${rules} rules x ${vocab} symbols exceed the `
      + `${vocab ** branching} distinct tuples; lower data.rules`);
  }
}

/** `count` distinct random tuples of `branching` symbols, drawn without replacement. */
function distinctTuples(count: number, shape: HierarchyShape, rng: Rng): Int32Array {
  const { vocab, branching } = shape;
  const seen = new Set<string>();
  const tuples = new Int32Array(count * branching);
  let filled = 0;
  while (filled < count) {
    const tuple = Array.from({ length: branching }, () => rng.int(vocab));
    const key = tuple.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    tuples.set(tuple, filled * branching);
    filled += 1;
  }
  return tuples;
}

/**
 * A random grammar: at each level, rules * vocab distinct child tuples, so a tuple has at
 * most one parent and every sequence parses back to one tree. Same seed, same grammar.
 */
export function sampleGrammar(shape: HierarchyShape, seed: number): Grammar {
  checkShape(shape);
  const rng = deriveRng(seed, 'hierarchy', 'grammar');
  const productions = Array.from({ length: shape.depth },
    () => distinctTuples(shape.rules * shape.vocab, shape, rng));
  return { ...shape, productions };
}

/** One sequence drawn top-down: root uniform, each symbol's rule uniform. */
export function generateTree(grammar: Grammar, rng: Rng): SymbolLevels {
  const { depth, rules, branching } = grammar;
  const levels: SymbolLevels = new Array(depth + 1);
  levels[depth] = Int32Array.of(rng.int(grammar.vocab));
  for (let level = depth; level >= 1; level--) {
    const parents = levels[level];
    const children = new Int32Array(parents.length * branching);
    const table = grammar.productions[level - 1];
    parents.forEach((symbol, index) => {
      const start = (symbol * rules + rng.int(rules)) * branching;
      children.set(table.subarray(start, start + branching), index * branching);
    });
    levels[level - 1] = children;
  }
  return levels;
}

/** For each level 1..depth, the parent of every child tuple (key: children joined by ','). */
export function parentTables(grammar: Grammar): Map<string, number>[] {
  const { vocab, rules, branching } = grammar;
  return grammar.productions.map((table) => {
    const parents = new Map<string, number>();
    for (let row = 0; row < vocab * rules; row++) {
      const key = table.subarray(row * branching, (row + 1) * branching).join(',');
      parents.set(key, Math.floor(row / rules));
    }
    return parents;
  });
}

/**
 * Parses a sequence of branching^depth tokens back to its symbols at every level, bottom up.
 * Throws a DataError naming the level and position of a tuple no rule produces.
 */
export function parseTokens(grammar: Grammar, tokens: ArrayLike<number>,
  parents = parentTables(grammar)): SymbolLevels {
  const { depth, branching } = grammar;
  if (tokens.length !== sequenceTokens(grammar)) {
    throw new DataError(`hierarchy parse: ${tokens.length} tokens; a sequence has `
      + `${sequenceTokens(grammar)} (branching^depth)`);
  }
  const levels: SymbolLevels = [Int32Array.from(tokens)];
  for (let level = 1; level <= depth; level++) {
    const below = levels[level - 1];
    const above = new Int32Array(below.length / branching);
    for (let index = 0; index < above.length; index++) {
      const key = below.subarray(index * branching, (index + 1) * branching).join(',');
      const parent = parents[level - 1].get(key);
      if (parent === undefined) {
        throw new DataError(`hierarchy parse: children (${key}) at level ${level - 1}, `
          + `position ${index * branching}, match no rule of the grammar`);
      }
      above[index] = parent;
    }
    levels.push(above);
  }
  return levels;
}

/**
 * Exact entropy of the source in bits per scored token of a window: every tree is equally
 * likely given the grammar (the root uniform, each rule uniform), and separators cost nothing.
 */
export function hierarchyEntropyBits(shape: HierarchyShape, sequenceLength: number): number {
  const internalNodes = (sequenceTokens(shape) - 1) / (shape.branching - 1);
  const perTree = Math.log2(shape.vocab) + internalNodes * Math.log2(shape.rules);
  const trees = (sequenceLength + 1) / (sequenceTokens(shape) + 1);
  return (trees * perTree) / sequenceLength;
}
