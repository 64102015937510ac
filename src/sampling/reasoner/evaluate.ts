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

/** Samples and scores every example; none may have an incomplete solution set. */
export function scoreExamples(run: ReasonerRun, examples: readonly PuzzleExample<unknown>[],
  options: ScoreOptions = {}): SplitReport {
  if (examples.length === 0) throw new DataError('reasoner scores: no inputs to score');
  const started = Date.now();
  const { config, family, model } = run;
  const samples = options.samples ?? config.reasoner.evalSamples;
  const rounds = options.depth ?? inferenceRoundsOf(config);
  const inputs = examples.map((example) =>
    stateTokens(model.layout, family.encodeInput(example.puzzle)));
  const tokens = sampleAnswerTokens(model, inputs,
    { samples, rounds, seed: options.seed ?? config.train.seed });
  const rows = examples.map((example, i) =>
    scoreRow(family, example, decodeSamples(family, example, tokens[i])));
  const coverageAt: Record<number, number> = {};
  for (const key of Object.keys(rows[0].coverageAt).map(Number)) {
    coverageAt[key] = meanOf(rows, (row) => row.coverageAt[key]);
  }
  return {
    split: options.split ?? 'inputs', samples, rounds,
    means: averageScores(rows.map((row) => row.scores)), coverageAt,
    selection: {
      firstValid: meanOf(rows, (row) => Number(row.firstValidSelected)),
      vote: meanOf(rows, (row) => Number(row.voteSelected)),
    },
    rows, seconds: (Date.now() - started) / 1000,
  };
}

export interface SplitOptions extends ReasoningOptions {
  split?: 'train' | 'valid' | 'test';
  /** Score only the first this many inputs (default reasoner.evalInputs; 0: all). */
  inputs?: number;
}

/** Scores the reasoner on a split of its own dataset (the test split by default). */
export function reasonOverSplit(run: ReasonerRun, options: SplitOptions = {}): SplitReport {
  const split = options.split ?? 'test';
  const limit = options.inputs ?? run.config.reasoner.evalInputs;
  const examples = run.dataset[split];
  const chosen = limit > 0 ? examples.slice(0, limit) : examples;
  return scoreExamples(run, chosen, { ...options, split });
}
