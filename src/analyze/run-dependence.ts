// `dependence` of a trained run: posterior means of held-out windows, then every dependence
// measure on them, the tokens and (hierarchy corpus) the true symbols.
import { isHierarchyCorpus, type HeldOutSet } from '../data/index.js';
import { deriveRng } from '../random.js';
import type { LoadedRun } from '../train/load-run.js';
import {
  estimatorName, latentDependence, tokenDependence, type DependenceReport,
} from './dependence.js';
import { hierarchyDependence } from './hierarchy-dependence.js';
import { posteriorMeans } from './posterior-means.js';

export interface DependenceOptions {
  /** Token distances to measure; those beyond a window are skipped. */
  distances: number[];
  /** Shuffled re-pairings averaged in each baseline. */
  shuffles: number;
}

/** Distances 1, 2, 4, ... below `length`. */
export function doublingDistances(length: number): number[] {
  const distances = [];
  for (let distance = 1; distance < length; distance *= 2) distances.push(distance);
  return distances;
}

/**
 * Every dependence measure of `set` (windows of T + 1 tokens) under a run's model. Latents
 * are the posterior means of the run's own inner loop; shuffles come from the run seed.
 */
export function analyzeDependence(run: LoadedRun, set: HeldOutSet,
  options: DependenceOptions): DependenceReport {
  const rng = deriveRng(run.config.train.seed, 'dependence-shuffles');
  const means = posteriorMeans(run.model, set, run.config, 'dependence');
  const tokens = tokenDependence(set, options.distances, rng, options.shuffles);
  const report: DependenceReport = {
    estimator: estimatorName,
    sequences: set.count,
    tokens,
    tokenDistance1: tokens.find((entry) => entry.distance === 1)?.value ?? null,
    ...latentDependence(means, rng, options.shuffles),
  };
  if (isHierarchyCorpus(run.corpus) && set.levels !== undefined) {
    report.hierarchy = hierarchyDependence(set, run.corpus.grammar, rng, options.shuffles,
      means);
  }
  return report;
}
