// How a trained reasoner's answers change with width (trajectories S per puzzle, at a fixed
// depth) and with depth (rounds R, at a fixed width), on one split, with the same network
// trained without noise as an optional point of comparison.
import { DataError } from '../../errors.js';
import type { MeanAnswerScores } from '../diversity.js';
import { reasonOverSplit, reasonOverSplitWidths, type SplitReport } from './evaluate.js';
import { inferenceRoundsOf } from './model.js';
import type { ReasonerRun } from './run.js';

/** Scores of one point, averaged over the puzzles; the rates are fractions in [0, 1]. */
export interface ScalingRates {
  coverage: number;
  validRate: number;
  exactAccuracy: number;
  anyValid: number;
  distinctValid: number;
  bestCellAccuracy: number;
  entropyBits: number;
  meanPairwiseHamming: number;
}

export interface ScalingOptions {
  /** Trajectory counts of the width curve (sorted, repeats dropped). */
  widths: readonly number[];
  /** Round counts of the depth curve (sorted, repeats dropped). */
  depths: readonly number[];
  /** Width of the depth curve (default reasoner.evalSamples). */
  samples?: number;
  /** Depth of the width curve (default the run's inference depth). */
  depth?: number;
  /** Seed of the trajectory noise (default train.seed). */
  seed?: number;
  split?: 'train' | 'valid' | 'test';
  /** Score only the first this many inputs (default reasoner.evalInputs; 0: all). */
  inputs?: number;
  /** A run of the same network and puzzles with reasoner.stochastic false. */
  baseline?: ReasonerRun;
}

/** The deterministic run's scores: one answer per puzzle, at its own training depth. */
export interface BaselineScores extends ScalingRates {
  rounds: number;
  step: number;
  runDir: string | null;
}

export interface ReasonerScaling {
  task: string;
  split: string;
  puzzles: number;
  step: number;
  seed: number;
  /** Depth of every width point. */
  widthRounds: number;
  /** Width of every depth point. */
  depthSamples: number;
  width: (ScalingRates & { samples: number })[];
  depth: (ScalingRates & { rounds: number })[];
  deterministic?: BaselineScores;
  /** Wall time of all the rollouts and scoring. */
  seconds: number;
}

function ratesOf(means: MeanAnswerScores): ScalingRates {
  const { coverage, validRate, exactAccuracy, anyValid, distinctValid, bestCellAccuracy,
    entropyBits, meanPairwiseHamming } = means;
  return { coverage, validRate, exactAccuracy, anyValid, distinctValid, bestCellAccuracy,
    entropyBits, meanPairwiseHamming };
}

/** Sorted distinct whole numbers of at least 1, or a DataError naming the list. */
function axisValues(name: string, values: readonly number[]): number[] {
  const bad = values.find((value) => !Number.isInteger(value) || value < 1);
  if (values.length === 0 || bad !== undefined) {
    throw new DataError(`reasoner scaling: ${name} [${values.join(', ')}] must hold one or `
      + 'more whole numbers of at least 1, e.g. [1, 2, 5, 10, 20]');
  }
  return [...new Set(values)].sort((a, b) => a - b);
}

/** The puzzle texts of the split both runs score; they must agree one for one. */
function checkSamePuzzles(run: ReasonerRun, baseline: ReasonerRun, report: SplitReport,
  other: SplitReport): void {
  const mismatch = report.rows.findIndex((row, i) => row.puzzle !== other.rows[i]?.puzzle);
  if (mismatch !== -1 || report.rows.length !== other.rows.length) {
    throw new DataError(`baseline ${baseline.runDir ?? '(in memory)'}: its ${report.split} `
      + `split differs from that of ${run.runDir ?? 'the run'} (puzzle ${Math.max(mismatch, 0)}`
      + '); train it with the same puzzles settings');
  }
}

function checkDeterministic(baseline: ReasonerRun): void {
  if (baseline.config.reasoner.stochastic) {
    throw new DataError(`baseline ${baseline.runDir ?? '(in memory)'}: reasoner.stochastic `
      + 'is true; name a run trained with reasoner.stochastic false');
  }
}

function baselineScores(run: ReasonerRun, baseline: ReasonerRun, options: ScalingOptions,
  reference: SplitReport): BaselineScores {
  const { split, inputs } = options;
  const report = reasonOverSplit(baseline, { split, inputs, samples: 1, seed: options.seed });
  checkSamePuzzles(run, baseline, reference, report);
  return { ...ratesOf(report.means), rounds: report.rounds, step: baseline.step,
    runDir: baseline.runDir };
}

/**
 * Scores `run` on a split along both axes. The width curve comes from prefixes of one rollout
 * of max(widths) trajectories; each depth point is its own rollout (the depth curve's point
 * at the width curve's depth reuses that rollout when its width is among the widths).
 */
export function reasonerScaling(run: ReasonerRun, options: ScalingOptions): ReasonerScaling {
  const started = Date.now();
  const widths = axisValues('widths', options.widths);
  const depths = axisValues('depths', options.depths);
  if (options.baseline !== undefined) checkDeterministic(options.baseline);
  const { config } = run;
  const seed = options.seed ?? config.train.seed;
  const widthRounds = options.depth ?? inferenceRoundsOf(config);
  const depthSamples = options.samples ?? config.reasoner.evalSamples;
  const split = { split: options.split ?? 'test', inputs: options.inputs, seed } as const;

  const byWidth = reasonOverSplitWidths(run, widths, { ...split, depth: widthRounds });
  const byDepth = depths.map((rounds) => (rounds === widthRounds && widths.includes(depthSamples)
    ? byWidth[widths.indexOf(depthSamples)]
    : reasonOverSplit(run, { ...split, samples: depthSamples, depth: rounds })));
  const deterministic = options.baseline === undefined ? undefined
    : baselineScores(run, options.baseline, options, byWidth[0]);

  return {
    task: config.puzzles.family, split: split.split, puzzles: byWidth[0].means.inputs,
    step: run.step, seed, widthRounds, depthSamples,
    width: byWidth.map((report) => ({ samples: report.samples, ...ratesOf(report.means) })),
    depth: byDepth.map((report) => ({ rounds: report.rounds, ...ratesOf(report.means) })),
    ...(deterministic === undefined ? {} : { deterministic }),
    seconds: (Date.now() - started) / 1000,
  };
}
