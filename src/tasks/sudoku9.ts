// 9x9 Sudoku: parsing, checking and counting completions, for evaluation and user puzzles. It
// has no generator: a 9x9 grid with several completions is too large a target to train here.
import type { PuzzleFamily } from './family.js';
import { sudokuRules, type SudokuPuzzle } from './sudoku.js';

/** Completions counted before `solutions` stops and reports `complete: false`. */
export const sudoku9MaxSolutions = 100_000;

/** The 9x9 family (3x3 boxes). */
export function createSudoku9(): PuzzleFamily<SudokuPuzzle> {
  return sudokuRules('sudoku9', 3, sudoku9MaxSolutions);
}
