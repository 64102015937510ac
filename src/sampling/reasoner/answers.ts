// What a reasoner answers to puzzles a user hands in, and what it generates from a blank
// input: the distinct answers among S samples, with counts and validity.
import { DataError } from '../../errors.js';
import type { Answer, PuzzleExample } from '../../tasks/index.js';
import { stateTokens } from './layout.js';
import { inferenceRoundsOf } from './model.js';
import { blankExample, type AnyFamily } from './puzzles.js';
import { reasoningOptions, type ReasonerRun, type ReasoningOptions } from './run.js';
import { sampleAnswerTokens } from './sample.js';

/** One distinct answer among the samples. */
export interface DistinctAnswer {
  /** The answer in the family's string form (canonical: colours renamed in order). */
  answer: string;
  /** Samples that gave it. */
  count: number;
  valid: boolean;
}

export interface PuzzleAnswers {
  puzzle: string;
  samples: number;
  /** Answers the puzzle has (up to the family's cap); 0 for a puzzle with none. */
  solutionCount: number;
  /** False when solutionCount stopped at the cap. */
  complete: boolean;
  validRate: number;
  distinctValid: number;
  /** Distinct valid answers / solutionCount; null when the count is 0 or incomplete. */
  coverage: number | null;
  /** Most frequent first. */
  answers: DistinctAnswer[];
}

function tally(family: AnyFamily, example: PuzzleExample<unknown>,
  samples: Answer[]): PuzzleAnswers {
  const byKey = new Map<string, DistinctAnswer>();
  for (const sample of samples) {
    const key = family.canonical(sample);
    const known = byKey.get(key);
    if (known !== undefined) {
      known.count += 1;
      continue;
    }
    byKey.set(key, { answer: family.formatAnswer(family.canonicalize(sample)), count: 1,
      valid: family.isValid(example.puzzle, sample) });
  }
  const answers = [...byKey.values()].sort((a, b) => b.count - a.count);
  const valid = answers.filter((answer) => answer.valid);
  const solutionCount = example.solutions.length;
  return {
    puzzle: example.text, samples: samples.length, solutionCount,
    complete: example.complete,
    validRate: valid.reduce((n, answer) => n + answer.count, 0) / samples.length,
    distinctValid: valid.length,
    coverage: solutionCount > 0 && example.complete ? valid.length / solutionCount : null,
    answers,
  };
}

function answerExamples(run: ReasonerRun, examples: PuzzleExample<unknown>[],
  options: ReasoningOptions): PuzzleAnswers[] {
  const { config, family, model } = run;
  const inputs = examples.map((example) =>
    stateTokens(model.layout, family.encodeInput(example.puzzle)));
  const tokens = sampleAnswerTokens(model, inputs, {
    samples: options.samples ?? config.reasoner.evalSamples,
    rounds: options.depth ?? inferenceRoundsOf(config),
    seed: options.seed ?? config.train.seed,
  });
  return examples.map((example, i) => tally(family, example,
    tokens[i].map((row) => family.decodeAnswer(row, example.puzzle))));
}

/**
 * Samples answers to puzzles given in the run family's string form. A puzzle with no
 * answer is still sampled (its samples are all invalid); a malformed one throws DataError.
 */
export function reasonOnPuzzles(run: ReasonerRun, puzzles: readonly string[],
  options?: ReasoningOptions | number): PuzzleAnswers[] {
  if (puzzles.length === 0) throw new DataError('reason: no puzzles given; pass at least one');
  const { family } = run;
  const examples = puzzles.map((text) => {
    const puzzle = family.parse(text.trim());
    const { answers, complete } = family.solutions(puzzle);
    return { puzzle, text: family.format(puzzle), solutions: answers, complete };
  });
  return answerExamples(run, examples, reasoningOptions(options));
}

/**
 * Unconditional generation: S samples from the blank input (for 4x4 Sudoku, full grids).
 * Validity is checked against the blank puzzle, so a valid sample is a complete answer.
 */
export function generateUnconditional(run: ReasonerRun,
  options?: ReasoningOptions | number): PuzzleAnswers {
  return answerExamples(run, [blankExample(run.family)], reasoningOptions(options))[0];
}
