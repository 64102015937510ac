// The puzzle-task layer in one import: families, exact enumeration, datasets and targets.
export type { Answer, FamilyName, GeneratedPuzzle, PuzzleFamily, SolutionSet } from './family.js';
export { exactCovers, takeDistinct, takeFirst } from './exact-cover.js';
export type { CoverProblem, CoverRow, Capped } from './exact-cover.js';
export { findConflict, isValidSudoku, parseSudoku, sudokuSolutions } from './sudoku.js';
export type { SudokuConflict, SudokuPuzzle } from './sudoku.js';
export { allSudoku4Grids, createSudoku4, sudoku4Defaults } from './sudoku4.js';
export type { Sudoku4Options } from './sudoku4.js';
export { createSudoku9, sudoku9MaxSolutions } from './sudoku9.js';
export {
  findAttack,
  isValidQueens,
  nQueensCount,
  parseQueens,
  queensCompletions,
} from './queens.js';
export type { QueensAttack, QueensPuzzle } from './queens.js';
export { allQueens8Boards, createQueens8, queens8Defaults } from './queens8.js';
export type { Queens8Options } from './queens8.js';
export {
  canonicalColouring,
  colouringSolutions,
  formatColouring,
  isValidColouring,
  matchingColours,
  parseColouring,
} from './colouring.js';
export type { ColouringPuzzle, Edge } from './colouring.js';
export { colouringDefaults, createColouring } from './colouring-family.js';
export type { ColouringOptions } from './colouring-family.js';
export { checkFamilyName, createFamily, familyNames } from './registry.js';
export type { FamilyOptions, FamilyPuzzle } from './registry.js';
export { exampleFromPuzzle, exampleFromText } from './example.js';
export type { PuzzleExample } from './example.js';
export { buildDataset, defaultFractions, splitByInput } from './dataset.js';
export type { DatasetOptions, PuzzleDataset, PuzzleSplits, SplitFractions } from './dataset.js';
export { sampleTarget, sampleTokenBatch } from './targets.js';
export type { TokenBatch } from './targets.js';
export { loadPuzzleFile, parsePuzzleLines } from './puzzle-file.js';
