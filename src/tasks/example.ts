// A puzzle together with its exact solution set: the unit that datasets, training targets and
// diversity scores are built from.
import { DataError } from '../errors.js';
import type { Answer, PuzzleFamily } from './family.js';
import { quotePuzzle } from './puzzle-text.js';

/** One puzzle and every answer to it. */
export interface PuzzleExample<P> {
  puzzle: P;
  /** The puzzle's string form (`family.format`); equal strings mean the same input. */
  text: string;
  /** All answers, one per canonical class (see `PuzzleFamily.solutions`). */
  solutions: Answer[];
  /** False when enumeration stopped at its cap and `solutions` is only part of the set. */
  complete: boolean;
}

/** The example for a puzzle, enumerating its answers; DataError when it has none. */
export function exampleFromPuzzle<P>(
  family: PuzzleFamily<P>,
  puzzle: P,
  maxSolutions: number = family.defaultMaxSolutions,
): PuzzleExample<P> {
  const text = family.format(puzzle);
  const { answers, complete } = family.solutions(puzzle, maxSolutions);
  if (answers.length === 0) {
    throw new DataError(
      `${family.name} puzzle ${quotePuzzle(text)} has no solution: no answer satisfies every ` +
        `constraint with these clues; remove or change a clue`,
    );
  }
  return { puzzle, text, solutions: answers, complete };
}

/** Parses a user's puzzle string and enumerates its answers; DataError on either failure. */
export function exampleFromText<P>(family: PuzzleFamily<P>, text: string): PuzzleExample<P> {
  return exampleFromPuzzle(family, family.parse(text));
}
