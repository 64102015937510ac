// How strongly related the parts of a sequence are, measured one way for all of them: tokens
// at distance 1, 2, 4, ...; sibling latent vectors of one decoder layer and latents of
// different layers; on the hierarchy corpus, the true symbols at every level as well.
import type { HeldOutSet } from '../data/index.js';
import type { Rng } from '../random.js';
import { dependence, type Dependence, type Variable } from './canonical.js';
import { latentCells, type PosteriorMeans } from './posterior-means.js';

/** What the estimator is, in words, for every report that shows its numbers. */
export const estimatorName = 'mean squared canonical correlation (Cramér\'s V squared for two '
  + 'categorical variables), chance-adjusted: (raw - shuffled baseline) / (1 - baseline)';

export interface DependenceReport {
  estimator: string;
  sequences: number;
  /** Tokens at each distance, pairs pooled over positions and windows. */
  tokens: ({ distance: number } & Dependence)[];
  tokenDistance1: number | null;
  /** Slot pairs of one layer, averaged per layer; null without latents or with K = 1. */
  latentSameLevel: number | null;
  latentSameLevelByLayer: { layer: number; value: number; pairs: Dependence[] }[];
  /** Whole layers (all K slots) against each other; null with fewer than two layers. */
  latentCrossLevel: number | null;
  latentCrossLevelPairs: ({ layers: [number, number] } & Dependence)[];
  /** Hierarchy corpus: the same measures on the true symbols. */
  hierarchy?: HierarchyDependence;
}

export interface HierarchyDependence {
  /**
   * Siblings (children of one parent) at each level, one score per pair of child slots,
   * averaged; level 0 are tokens.
   */
  sameLevel: ({ level: number } & Dependence)[];
  /** Each child slot at `level` against its parent one level up, averaged over slots. */
  parentChild: ({ level: number } & Dependence)[];
  /** Learned latents (all of them) against the true symbol at each position of a level. */
  latentsVersusLevel: { level: number; value: number }[];
}

const codes = (values: number[]): Variable => ({ kind: 'categorical',
  codes: Int32Array.from(values) });

/** Tokens at positions t and t + distance of every row, scored positions 1..length-1 only. */
export function tokenPairs(set: HeldOutSet, distance: number): [Variable, Variable] {
  const left: number[] = [];
  const right: number[] = [];
  for (let row = 0; row < set.count; row++) {
    const base = row * set.length;
    for (let t = 1; t + distance < set.length; t++) {
      left.push(set.tokens[base + t]);
      right.push(set.tokens[base + t + distance]);
    }
  }
  return [codes(left), codes(right)];
}

/** Token dependence at each distance shorter than the scored part of a row. */
export function tokenDependence(set: HeldOutSet, distances: readonly number[],
  rng: Rng, shuffles: number): DependenceReport['tokens'] {
  return distances.filter((distance) => distance < set.length - 1)
    .map((distance) => ({ distance, ...dependence(...tokenPairs(set, distance), rng, shuffles) }));
}

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Sibling slots within each layer and whole layers against each other. */
export function latentDependence(means: PosteriorMeans, rng: Rng, shuffles: number) {
  const vectorOf = (cells: { layer: number; slot: number }[]): Variable => ({
    kind: 'vector', dim: cells.length * means.dim, values: latentCells(means, cells) });
  const slots = Array.from({ length: means.perLayer }, (_, slot) => slot);
  const byLayer = Array.from({ length: means.layers }, (_, layer) => {
    const pairs = slots.flatMap((a) => slots.filter((b) => b > a).map((b) =>
      dependence(vectorOf([{ layer, slot: a }]), vectorOf([{ layer, slot: b }]), rng, shuffles)));
    return { layer, value: mean(pairs.map((pair) => pair.value)) ?? NaN, pairs };
  }).filter((layer) => layer.pairs.length > 0);
  const wholeLayer = (layer: number) => vectorOf(slots.map((slot) => ({ layer, slot })));
  const crossPairs = [];
  for (let a = 0; a < means.layers; a++) {
    for (let b = a + 1; b < means.layers; b++) {
      crossPairs.push({ layers: [a, b] as [number, number],
        ...dependence(wholeLayer(a), wholeLayer(b), rng, shuffles) });
    }
  }
  return {
    latentSameLevel: mean(byLayer.map((layer) => layer.value)),
    latentSameLevelByLayer: byLayer,
    latentCrossLevel: mean(crossPairs.map((pair) => pair.value)),
    latentCrossLevelPairs: crossPairs,
  };
}
