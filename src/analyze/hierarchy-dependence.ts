// The dependence measures on the true symbols of the hierarchy corpus, so the numbers of
// learned latents and of tokens have a known answer beside them.
import type { Grammar, HeldOutSet } from '../data/index.js';
import { DataError } from '../errors.js';
import type { Rng } from '../random.js';
import { dependence, type Variable } from './canonical.js';
import type { HierarchyDependence } from './dependence.js';
import { latentCells, type PosteriorMeans } from './posterior-means.js';

/**
 * The symbols of every tree of `set` at levels 0 (tokens) to depth: entry l is
 * [trees, branching^(depth - l)] row-major, trees in row order.
 */
export function treeLevels(set: HeldOutSet, grammar: Grammar): Int32Array[] {
  if (set.levels === undefined) {
    throw new DataError('hierarchy dependence: the held-out set has no true symbols; use a '
      + 'set of the hierarchy corpus');
  }
  const n = grammar.branching ** grammar.depth;
  const trees = set.levels[grammar.depth - 1].length;
  const tokens = new Int32Array(trees * n);
  // A row is whole trees, each a separator and n tokens, so tree t starts at t (n + 1) + 1.
  for (let tree = 0; tree < trees; tree++) {
    const start = tree * (n + 1) + 1;
    tokens.set(set.tokens.subarray(start, start + n), tree * n);
  }
  return [tokens, ...set.levels];
}

const codes = (values: number[]): Variable => ({ kind: 'categorical',
  codes: Int32Array.from(values) });

/** Every pair of siblings at `level` (children of one parent), pooled. */
function siblingPairs(levels: Int32Array[], level: number, branching: number) {
  const symbols = levels[level];
  const left: number[] = [];
  const right: number[] = [];
  for (let group = 0; group < symbols.length / branching; group++) {
    for (let a = 0; a < branching; a++) {
      for (let b = a + 1; b < branching; b++) {
        left.push(symbols[group * branching + a]);
        right.push(symbols[group * branching + b]);
      }
    }
  }
  return [codes(left), codes(right)] as const;
}

function parentPairs(levels: Int32Array[], level: number, branching: number) {
  const children = Array.from(levels[level]);
  const parents = children.map((_, index) => levels[level + 1][Math.floor(index / branching)]);
  return [codes(children), codes(parents)] as const;
}

/** Learned latents against each true symbol of a level, averaged over its positions. */
function latentsVersus(levels: Int32Array[], means: PosteriorMeans, level: number, rng: Rng,
  shuffles: number): number {
  const cells = [];
  for (let layer = 0; layer < means.layers; layer++) {
    for (let slot = 0; slot < means.perLayer; slot++) cells.push({ layer, slot });
  }
  const latents: Variable = { kind: 'vector', dim: cells.length * means.dim,
    values: latentCells(means, cells) };
  const perTree = levels[level].length / means.count;
  let total = 0;
  for (let position = 0; position < perTree; position++) {
    const symbol = Array.from({ length: means.count },
      (_, row) => levels[level][row * perTree + position]);
    total += dependence(latents, codes(symbol), rng, shuffles).value;
  }
  return total / perTree;
}

/**
 * Sibling and parent-child dependence of the true symbols at every level and, given the
 * posterior means of the same rows (one tree per row), how much of each level they carry.
 */
export function hierarchyDependence(set: HeldOutSet, grammar: Grammar, rng: Rng,
  shuffles: number, means: PosteriorMeans | null): HierarchyDependence {
  const levels = treeLevels(set, grammar);
  const { depth, branching } = grammar;
  const below = Array.from({ length: depth }, (_, level) => level);
  const oneTreePerRow = levels[depth].length === set.count;
  return {
    sameLevel: below.map((level) => ({ level,
      ...dependence(...siblingPairs(levels, level, branching), rng, shuffles) })),
    parentChild: below.map((level) => ({ level,
      ...dependence(...parentPairs(levels, level, branching), rng, shuffles) })),
    latentsVersusLevel: means === null || !oneTreePerRow ? []
      : below.map((level) => ({ level: level + 1,
        value: latentsVersus(levels, means, level + 1, rng, shuffles) })),
  };
}
