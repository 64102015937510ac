// Puzzle families by name, so a config or a command line can pick one with its options.
import { ConfigError } from '../errors.js';
import type { ColouringPuzzle } from './colouring.js';
import { createColouring, type ColouringOptions } from './colouring-family.js';
import type { FamilyName, PuzzleFamily } from './family.js';
import type { QueensPuzzle } from './queens.js';
import { createQueens8, type Queens8Options } from './queens8.js';
import type { SudokuPuzzle } from './sudoku.js';
import { createSudoku4, type Sudoku4Options } from './sudoku4.js';
import { createSudoku9 } from './sudoku9.js';

export const familyNames: readonly FamilyName[] = ['sudoku4', 'sudoku9', 'colouring', 'queens8'];

/** The generation options each family accepts (sudoku9 has none). */
export interface FamilyOptions {
  sudoku4: Partial<Sudoku4Options>;
  sudoku9: Record<string, never>;
  colouring: Partial<ColouringOptions>;
  queens8: Partial<Queens8Options>;
}

/** The parsed puzzle type of each family. */
export interface FamilyPuzzle {
  sudoku4: SudokuPuzzle;
  sudoku9: SudokuPuzzle;
  colouring: ColouringPuzzle;
  queens8: QueensPuzzle;
}

/** Throws ConfigError unless `name` is one of `familyNames`. */
export function checkFamilyName(name: string): FamilyName {
  if (!(familyNames as readonly string[]).includes(name)) {
    throw new ConfigError(`unknown puzzle family '${name}'; use one of ${familyNames.join(', ')}`);
  }
  return name as FamilyName;
}

/** The family called `name`, built with its options (defaults for any left out). */
export function createFamily<N extends FamilyName>(
  name: N,
  options: FamilyOptions[N] = {},
): PuzzleFamily<FamilyPuzzle[N]> {
  const builders: { [K in FamilyName]: () => PuzzleFamily<FamilyPuzzle[K]> } = {
    sudoku4: () => createSudoku4(options as Partial<Sudoku4Options>),
    sudoku9: () => createSudoku9(),
    colouring: () => createColouring(options as Partial<ColouringOptions>),
    queens8: () => createQueens8(options as Partial<Queens8Options>),
  };
  return builders[checkFamilyName(name) as N]();
}
