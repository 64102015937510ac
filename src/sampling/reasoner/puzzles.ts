// The puzzle side of a reasoner run: the family and dataset a config names, the blank input
// used for unconditional generation, and solution counting for user puzzles.
import type { Config } from '../../config/index.js';
import { ConfigError } from '../../errors.js';
import {
  buildDataset, checkFamilyName, createFamily, exampleFromPuzzle, type FamilyName,
  type PuzzleDataset, type PuzzleExample, type PuzzleFamily, type SolutionSet,
} from '../../tasks/index.js';

/** A family whose puzzle type the caller does not need to know. */
export type AnyFamily = PuzzleFamily<unknown>;

/** The family of `config.puzzles`, with its generation options. */
export function familyOf(config: Config): AnyFamily {
  const p = config.puzzles;
  const counts = { minSolutions: p.minSolutions, maxSolutions: p.maxSolutions };
  switch (p.family) {
    case 'sudoku4':
      return createFamily('sudoku4', { minClues: p.minClues, maxClues: p.maxClues, ...counts });
    case 'colouring':
      return createFamily('colouring', {
        minNodes: p.minNodes, maxNodes: p.maxNodes, edgeProbability: p.edgeProbability,
        ...counts,
      }) as AnyFamily;
    case 'queens8':
      return createFamily('queens8', {
        minRemoved: p.minRemoved, maxRemoved: p.maxRemoved, ...counts,
      }) as AnyFamily;
  }
}

/** The seeded dataset of `config.puzzles`: the same config always gives the same splits. */
export function datasetOf(config: Config, family: AnyFamily): PuzzleDataset<unknown> {
  const { count, seed, validFraction, testFraction } = config.puzzles;
  const fractions = { train: 1 - validFraction - testFraction, valid: validFraction,
    test: testFraction };
  return buildDataset(family, { count, seed, fractions });
}

/** The puzzle string whose input tokens are all blank: no clue, no edge, no queen. */
function blankText(family: AnyFamily): string {
  switch (family.name) {
    case 'sudoku4':
    case 'sudoku9':
    case 'queens8':
      return '.'.repeat(family.inputLength);
    case 'colouring':
      // NOTE: pair token 0 means "not joined", so the blank graph has every node, no edge.
      return `${family.outputLength}:`;
  }
}

/**
 * The blank puzzle with its answers (every full grid, board or colouring), enumerated up to
 * `maxSolutions`.
 */
export function blankExample(family: AnyFamily, maxSolutions = 100_000):
  PuzzleExample<unknown> {
  return exampleFromPuzzle(family, family.parse(blankText(family)), maxSolutions);
}

/** How many answers a puzzle has, counted up to `max`. */
export interface SolutionCount {
  solutions: number;
  /** False when counting stopped at `max`: the puzzle has at least `solutions`. */
  complete: boolean;
}

/**
 * Counts the answers of a puzzle given as text in a family's string form (colourings up to
 * renaming). Throws DataError for a malformed puzzle, ConfigError for an unknown family.
 */
export function countPuzzleSolutions(familyName: string, puzzleText: string,
  max = 100_000): SolutionCount {
  if (!Number.isInteger(max) || max < 1) {
    throw new ConfigError(`puzzle count: --max is ${max}; use an integer of at least 1`);
  }
  const family = createFamily(checkFamilyName(familyName) as FamilyName) as AnyFamily;
  const puzzle = family.parse(puzzleText.trim());
  const found: SolutionSet = family.solutions(puzzle, max);
  return { solutions: found.answers.length, complete: found.complete };
}
