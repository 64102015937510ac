// 4x4 Sudoku (2x2 boxes), the small training family: few enough grids (288) to enumerate once,
// and puzzles with a handful of completions each, so that answer diversity can be measured.
import { ConfigError } from '../errors.js';
import { shuffled, type Rng } from '../random.js';
import type { Answer, PuzzleFamily } from './family.js';
import { checkIntegerRange, drawUntilAccepted } from './generation.js';
import { sudokuRules, sudokuSolutions, type SudokuPuzzle } from './sudoku.js';

/** What `generate` draws: how many clues a puzzle shows and how many completions it may have. */
export interface Sudoku4Options {
  /** Fewest clues (default 4). */
  minClues: number;
  /** Most clues (default 6); the count is uniform in the range. */
  maxClues: number;
  /** Fewest completions a kept puzzle has (default 2). */
  minSolutions: number;
  /** Most completions a kept puzzle has (default 6). */
  maxSolutions: number;
}

export const sudoku4Defaults: Sudoku4Options = {
  minClues: 4,
  maxClues: 6,
  minSolutions: 2,
  maxSolutions: 6,
};

let allGrids: Answer[] | null = null;

/** The 288 complete 4x4 grids, enumerated once. */
export function allSudoku4Grids(): Answer[] {
  allGrids ??= sudokuSolutions({ boxSize: 2, cells: new Array(16).fill(0) }, 1000).answers;
  return allGrids;
}

/**
 * The 4x4 family. `generate` blanks all but a random number of cells of a uniformly drawn
 * grid and keeps the puzzle when its completion count lies in the options' range.
 */
export function createSudoku4(options: Partial<Sudoku4Options> = {}): PuzzleFamily<SudokuPuzzle> {
  const settings = { ...sudoku4Defaults, ...options };
  const names = { low: 'minClues', high: 'maxClues' };
  checkIntegerRange('sudoku4', names, { low: settings.minClues, high: settings.maxClues }, 0);
  if (settings.maxClues > 16) {
    throw new ConfigError(`sudoku4: maxClues is ${settings.maxClues}; a 4x4 grid has 16 cells`);
  }
  checkIntegerRange(
    'sudoku4',
    { low: 'minSolutions', high: 'maxSolutions' },
    { low: settings.minSolutions, high: settings.maxSolutions },
    1,
  );
  const rules = sudokuRules('sudoku4', 2, 1000);
  return { ...rules, generate: (rng) => generateSudoku4(settings, rng) };
}

function generateSudoku4(settings: Sudoku4Options, rng: Rng) {
  const grids = allSudoku4Grids();
  const cellOrder = Array.from({ length: 16 }, (_, cell) => cell);
  return drawUntilAccepted('sudoku4 generator', () => {
    const grid = grids[rng.int(grids.length)];
    const clueCount = settings.minClues + rng.int(settings.maxClues - settings.minClues + 1);
    const cells = new Array<number>(16).fill(0);
    for (const cell of shuffled(cellOrder, rng).slice(0, clueCount)) cells[cell] = grid[cell];
    const puzzle = { boxSize: 2, cells };
    const solutions = sudokuSolutions(puzzle, settings.maxSolutions);
    const count = solutions.answers.length;
    if (!solutions.complete || count < settings.minSolutions) return null;
    return { puzzle, solutions };
  });
}
