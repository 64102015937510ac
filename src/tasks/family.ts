// The contract every puzzle family meets: text in and out, tokens for a model, a checker, and
// exact enumeration of all answers, so that diversity can be measured against the full set.
import type { Rng } from '../random.js';

/** The puzzle families the project ships. */
export type FamilyName = 'sudoku4' | 'sudoku9' | 'colouring' | 'queens8';

/**
 * An answer in the family's own values, one per output cell: Sudoku digits 1..n, colours
 * 0..2 per node, 0/1 per board square for queens. Token ids are a separate encoding.
 */
export type Answer = readonly number[];

/** Every answer of one puzzle, or the first `max` of them when there are more. */
export interface SolutionSet {
  /** Distinct answers (one per class for families with symmetries), in solver order. */
  answers: Answer[];
  /** False when enumeration stopped at the cap, so `answers` is only part of the set. */
  complete: boolean;
}

/** A freshly generated puzzle with the solution set its generator already enumerated. */
export interface GeneratedPuzzle<P> {
  puzzle: P;
  solutions: SolutionSet;
}

/**
 * One puzzle family. `P` is the parsed puzzle. Every method is pure; the only randomness is
 * the generator passed to `generate`.
 */
export interface PuzzleFamily<P> {
  readonly name: FamilyName;
  /** Tokens of `encodeInput`, the same for every puzzle of the family. */
  readonly inputLength: number;
  /** Tokens of `encodeAnswer`, the same for every puzzle of the family. */
  readonly outputLength: number;
  /** Input token ids lie in [0, inputVocab). */
  readonly inputVocab: number;
  /** Output token ids lie in [0, outputVocab). */
  readonly outputVocab: number;
  /** Enumeration cap that `solutions` uses when no `max` is given. */
  readonly defaultMaxSolutions: number;

  /** A puzzle from its string form; throws DataError naming the position and the fix. */
  parse(text: string): P;
  /** The string form `parse` reads back; equal puzzles give equal strings. */
  format(puzzle: P): string;
  /** A readable string of an answer (the same alphabet as the puzzle string where one exists). */
  formatAnswer(answer: Answer): string;

  /** Input token ids, length `inputLength`. */
  encodeInput(puzzle: P): number[];
  /** Target token ids, length `outputLength`. */
  encodeAnswer(answer: Answer): number[];
  /** The answer that output tokens spell for this puzzle; DataError on a wrong length. */
  decodeAnswer(tokens: readonly number[], puzzle: P): Answer;

  /** True when the answer satisfies every constraint and keeps every clue. */
  isValid(puzzle: P, answer: Answer): boolean;
  /** Exact enumeration of all answers, one per canonical class, stopping after `max`. */
  solutions(puzzle: P, max?: number): SolutionSet;
  /** The representative of the answer's symmetry class (the answer itself if none). */
  canonicalize(answer: Answer): Answer;
  /** A string key of the answer's class: equal keys mean the same answer for coverage. */
  canonical(answer: Answer): string;
  /** Cells on which two answers agree, under the best symmetry that maps one to the other. */
  matchingCells(a: Answer, b: Answer): number;

  /**
   * A random puzzle within the family's generation options; absent for families not meant for
   * training. Throws DataError when the options admit no puzzle in a bounded number of tries.
   */
  generate?(rng: Rng): GeneratedPuzzle<P>;
}
