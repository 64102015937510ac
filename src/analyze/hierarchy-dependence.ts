// The dependence measures on the true symbols of the hierarchy corpus, so the numbers of
// learned latents and of tokens have a known answer beside them.
import type { Grammar, HeldOutSet } from '../data/index.js';
import { DataError } from '../errors.js';
import type { Rng } from '../random.js';
import { dependence, type Dependence, type Variable } from './canonical.js';
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

/** Average of several dependence scores, field by field (pairs summed). */
function meanOf(scores: Dependence[]): Dependence {
  const mean = (pick: (score: Dependence) => number) =>
    scores.reduce((total, score) => total + pick(score), 0) / scores.length;
  return { raw: mean((s) => s.raw), baseline: mean((s) => s.baseline),
    value: mean((s) => s.value), ranks: scores[0].ranks,
    pairs: scores.reduce((total, score) => total + score.pairs, 0) };
}

/** Child `slot` of every group of siblings at `level`. */
function slotOf(levels: Int32Array[], level: number, branching: number, slot: number): number[] {
  const symbols = levels[level];
  return Array.from({ length: symbols.length / branching },
    (_, group) => symbols[group * branching + slot]);
}

/** Siblings at `level`, one score per pair of child slots, averaged. */
function siblings(levels: Int32Array[], level: number, branching: number, rng: Rng,
  shuffles: number): Dependence {
  const scores = [];
  for (let a = 0; a < branching; a++) {
    for (let b = a + 1; b < branching; b++) {
      scores.push(dependence(codes(slotOf(levels, level, branching, a)),
        codes(slotOf(levels, level, branching, b)), rng, shuffles));
    }
  }
  return meanOf(scores);
}

/** Each child slot at `level` against the parent one level up, averaged over slots. */
function parentChild(levels: Int32Array[], level: number, branching: number, rng: Rng,
  shuffles: number): Dependence {
  const parents = codes(Array.from(levels[level + 1]));
  return meanOf(Array.from({ length: branching }, (_, slot) => dependence(
    codes(slotOf(levels, level, branching, slot)), parents, rng, shuffles)));
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
      ...siblings(levels, level, branching, rng, shuffles) })),
    parentChild: below.map((level) => ({ level,
      ...parentChild(levels, level, branching, rng, shuffles) })),
    latentsVersusLevel: means === null || !oneTreePerRow ? []
      : below.map((level) => ({ level: level + 1,
        value: latentsVersus(levels, means, level + 1, rng, shuffles) })),
  };
}
