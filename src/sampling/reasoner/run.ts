// A trained reasoner together with what it was trained on: the unit that scoring, answering
// user puzzles and unconditional generation work with.
import type { Config } from '../../config/index.js';
import type { PuzzleDataset } from '../../tasks/index.js';
import type { ReasonerModel } from './model.js';
import type { AnyFamily } from './puzzles.js';

export interface ReasonerRun {
  config: Config;
  family: AnyFamily;
  dataset: PuzzleDataset<unknown>;
  model: ReasonerModel;
  /** Training steps behind the weights. */
  step: number;
  /** The run folder, or null for a model that lives only in memory. */
  runDir: string | null;
}

/** Depth and sampling settings with the run's config as the default for each. */
export interface ReasoningOptions {
  /** Trajectories S per input (default reasoner.evalSamples). */
  samples?: number;
  /** Rounds R of transitions (default reasoner.inferenceRounds, else the training depth). */
  depth?: number;
  /** Seed of the trajectory streams (default train.seed). */
  seed?: number;
}

/** Options from either a bare sample count or a full options record. */
export function reasoningOptions(options: ReasoningOptions | number | undefined):
  ReasoningOptions {
  return typeof options === 'number' ? { samples: options } : options ?? {};
}
