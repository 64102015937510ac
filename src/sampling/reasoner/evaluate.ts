// Scoring a reasoner on puzzles with known solution sets: S prior samples per input, scored
// against the exact set; coverage at several S from prefixes of the same samples; the answer
// picked by validity and by vote.
import { DataError } from '../../errors.js';
import type { Answer, PuzzleExample } from '../../tasks/index.js';
import {
  averageScores, judgeFor, scoreAnswers, selectAnswer, type AnswerScores, type MeanAnswerScores,
} from '../diversity.js';
import { stateTokens } from './layout.js';
import { inferenceRoundsOf } from './model.js';
import type { AnyFamily } from './puzzles.js';
import type { ReasonerRun, ReasoningOptions } from './run.js';
import { sampleAnswerTokens } from './sample.js';

/** The S at which coverage is also reported (those not above the samples drawn). */
export const coverageCheckpoints = [1, 5, 10, 20] as const;

export interface InputScoreRow {
  puzzle: string;
  scores: AnswerScores;
  /** Coverage from the first S samples, keyed by S. */
  coverageAt: Record<number, number>;
  /** Whether the answer picked by the checker (first valid sample) is valid. */
  firstValidSelected: boolean;
  /** Whether the most frequent answer is valid. */
  voteSelected: boolean;
}

export interface SplitReport {
  split: string;
  samples: number;
  rounds: number;
  /** Means over inputs; `bestCellAccuracy` is per cell, `exactAccuracy` per whole answer. */
  means: MeanAnswerScores;
  /** Mean coverage from the first S samples, keyed by S. */
  coverageAt: Record<number, number>;
  /** Share of inputs whose selected answer is valid, by selection rule. */
  selection: { firstValid: number; vote: number };
  rows: InputScoreRow[];
  seconds: number;
}

export interface ScoreOptions extends ReasoningOptions {
  /** Name of what is scored, for the report. */
  split?: string;
}

function decodeSamples(family: AnyFamily, example: PuzzleExample<unknown>,
  tokens: number[][]): Answer[] {
  return tokens.map((row) => family.decodeAnswer(row, example.puzzle));
}

function scoreRow(family: AnyFamily, example: PuzzleExample<unknown>,
  samples: Answer[]): InputScoreRow {
  const judge = judgeFor(family, example.puzzle);
  const scores = scoreAnswers(judge, { solutions: example.solutions, samples });
  const coverageAt: Record<number, number> = {};
  for (const s of [...coverageCheckpoints, samples.length]) {
    if (s > samples.length) continue;
    coverageAt[s] = s === samples.length ? scores.coverage
      : scoreAnswers(judge, { solutions: example.solutions, samples: samples.slice(0, s) })
        .coverage;
  }
  return {
    puzzle: example.text, scores, coverageAt,
    firstValidSelected: selectAnswer(judge, samples, 'first-valid').valid,
    voteSelected: selectAnswer(judge, samples, 'vote').valid,
  };
}

function meanOf(rows: InputScoreRow[], pick: (row: InputScoreRow) => number): number {
  return rows.reduce((sum, row) => sum + pick(row), 0) / rows.length;
}

/** The S decoded answers of every example, [N][S], from one batched rollout. */
function drawAnswers(run: ReasonerRun, examples: readonly PuzzleExample<unknown>[],
  rollout: { samples: number; rounds: number; seed: number }): Answer[][] {
  const { family, model } = run;
  const inputs = examples.map((example) =>
    stateTokens(model.layout, family.encodeInput(example.puzzle)));
  const tokens = sampleAnswerTokens(model, inputs, rollout);
  return examples.map((example, i) => decodeSamples(family, example, tokens[i]));
}

/** The report of answers already drawn: rows, means, coverage at checkpoints, selection. */
function reportOf(family: AnyFamily, examples: readonly PuzzleExample<unknown>[],
  answers: Answer[][], meta: { split: string; rounds: number; started: number }): SplitReport {
  const rows = examples.map((example, i) => scoreRow(family, example, answers[i]));
  const coverageAt: Record<number, number> = {};
  for (const key of Object.keys(rows[0].coverageAt).map(Number)) {
    coverageAt[key] = meanOf(rows, (row) => row.coverageAt[key]);
  }
  return {
    split: meta.split, samples: answers[0].length, rounds: meta.rounds,
    means: averageScores(rows.map((row) => row.scores)), coverageAt,
    selection: {
      firstValid: meanOf(rows, (row) => Number(row.firstValidSelected)),
      vote: meanOf(rows, (row) => Number(row.voteSelected)),
    },
    rows, seconds: (Date.now() - meta.started) / 1000,
  };
}

function checkWidths(widths: readonly number[]): void {
  const bad = widths.find((width) => !Number.isInteger(width) || width < 1);
  if (widths.length === 0 || bad !== undefined) {
    throw new DataError(`reasoner scores: widths [${widths.join(', ')}] must be one or more `
      + 'whole numbers of at least 1, e.g. [1, 2, 5, 10, 20]');
  }
}

/**
 * Scores the first S samples of every example at each S of `widths` (any order), from one
 * rollout of max(widths) trajectories; `options.samples` is ignored. Trajectory noise depends
 * only on its index, so each report equals a rollout of S on its own, and coverage cannot
 * fall as S grows. `seconds` of a report counts from the start of the rollout.
 */
export function scoreExampleWidths(run: ReasonerRun, examples: readonly PuzzleExample<unknown>[],
  widths: readonly number[], options: ScoreOptions = {}): SplitReport[] {
  if (examples.length === 0) throw new DataError('reasoner scores: no inputs to score');
  checkWidths(widths);
  const started = Date.now();
  const { config, family } = run;
  const rounds = options.depth ?? inferenceRoundsOf(config);
  const answers = drawAnswers(run, examples,
    { samples: Math.max(...widths), rounds, seed: options.seed ?? config.train.seed });
  const meta = { split: options.split ?? 'inputs', rounds, started };
  return widths.map((width) =>
    reportOf(family, examples, answers.map((row) => row.slice(0, width)), meta));
}

/** Samples and scores every example; none may have an incomplete solution set. */
export function scoreExamples(run: ReasonerRun, examples: readonly PuzzleExample<unknown>[],
  options: ScoreOptions = {}): SplitReport {
  const samples = options.samples ?? run.config.reasoner.evalSamples;
  return scoreExampleWidths(run, examples, [samples], options)[0];
}

export interface SplitOptions extends ReasoningOptions {
  split?: 'train' | 'valid' | 'test';
  /** Score only the first this many inputs (default reasoner.evalInputs; 0: all). */
  inputs?: number;
}

function splitExamples(run: ReasonerRun, options: SplitOptions) {
  const split = options.split ?? 'test';
  const limit = options.inputs ?? run.config.reasoner.evalInputs;
  const examples = run.dataset[split];
  return { split, examples: limit > 0 ? examples.slice(0, limit) : examples };
}

/** Scores the reasoner on a split of its own dataset (the test split by default). */
export function reasonOverSplit(run: ReasonerRun, options: SplitOptions = {}): SplitReport {
  const { split, examples } = splitExamples(run, options);
  return scoreExamples(run, examples, { ...options, split });
}

/** `scoreExampleWidths` over a split: one report per width, from one rollout. */
export function reasonOverSplitWidths(run: ReasonerRun, widths: readonly number[],
  options: SplitOptions = {}): SplitReport[] {
  const { split, examples } = splitExamples(run, options);
  return scoreExampleWidths(run, examples, widths, { ...options, split });
}
