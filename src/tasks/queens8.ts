// 8x8 N-Queens with queens removed from a full solution: the board to complete is the input,
// a full board the answer. Partial boards of 8x8 often have several completions (up to 18).
import { ConfigError } from '../errors.js';
import { shuffled, type Rng } from '../random.js';
import { checkTokenCount, countEqual } from './answer-cells.js';
import type { Answer, GeneratedPuzzle, PuzzleFamily } from './family.js';
import { checkIntegerRange, drawUntilAccepted } from './generation.js';
import { isValidQueens, parseQueens, queensCompletions, type QueensPuzzle } from './queens.js';

/** What `generate` draws: how many queens to remove and how many completions to allow. */
export interface Queens8Options {
  /** Fewest queens removed from a full solution (default 5). */
  minRemoved: number;
  /** Most queens removed (default 7); the count is uniform in the range. */
  maxRemoved: number;
  /** Fewest completions a kept board has (default 1). */
  minSolutions: number;
  /** Most completions a kept board has (default 100000, no limit in practice). */
  maxSolutions: number;
}

export const queens8Defaults: Queens8Options = {
  minRemoved: 5,
  maxRemoved: 7,
  minSolutions: 1,
  maxSolutions: 100_000,
};

const size = 8;
const area = size * size;
let fullBoards: Answer[] | null = null;

/** The 92 solutions of the 8x8 board, enumerated once. */
export function allQueens8Boards(): Answer[] {
  const empty = { size, cells: new Array<number>(area).fill(0) };
  fullBoards ??= queensCompletions(empty, 1000).answers;
  return fullBoards;
}

const board = (cells: Answer) => cells.map((value) => (value === 1 ? 'Q' : '.')).join('');

/** The 8x8 family. Tokens, in and out: 0 an empty square, 1 a queen. */
export function createQueens8(options: Partial<Queens8Options> = {}): PuzzleFamily<QueensPuzzle> {
  const settings = { ...queens8Defaults, ...options };
  const removed = { low: settings.minRemoved, high: settings.maxRemoved };
  checkIntegerRange('queens8', { low: 'minRemoved', high: 'maxRemoved' }, removed, 0);
  if (settings.maxRemoved > size) {
    throw new ConfigError(`queens8: maxRemoved is ${settings.maxRemoved}; a board has 8 queens`);
  }
  const counts = { low: settings.minSolutions, high: settings.maxSolutions };
  checkIntegerRange('queens8', { low: 'minSolutions', high: 'maxSolutions' }, counts, 1);
  return {
    name: 'queens8',
    inputLength: area,
    outputLength: area,
    inputVocab: 2,
    outputVocab: 2,
    defaultMaxSolutions: 100_000,
    parse: (text) => parseQueens(text, size, 'queens8'),
    format: (puzzle) => board(puzzle.cells),
    formatAnswer: board,
    encodeInput: (puzzle) => puzzle.cells.slice(),
    encodeAnswer: (answer) => answer.slice(),
    decodeAnswer: (tokens) => {
      checkTokenCount('queens8', tokens, area);
      return tokens.slice();
    },
    isValid: isValidQueens,
    solutions: (puzzle, max = 100_000) => queensCompletions(puzzle, max),
    canonicalize: (answer) => answer.slice(),
    canonical: board,
    matchingCells: countEqual,
    generate: (rng) => generateQueens8(settings, rng),
  };
}

function generateQueens8(settings: Queens8Options, rng: Rng): GeneratedPuzzle<QueensPuzzle> {
  const boards = allQueens8Boards();
  return drawUntilAccepted('queens8 generator', () => {
    const full = boards[rng.int(boards.length)];
    const removeCount =
      settings.minRemoved + rng.int(settings.maxRemoved - settings.minRemoved + 1);
    const queens = full.flatMap((value, cell) => (value === 1 ? [cell] : []));
    const cells = full.slice();
    for (const cell of shuffled(queens, rng).slice(0, removeCount)) cells[cell] = 0;
    const puzzle = { size, cells };
    const solutions = queensCompletions(puzzle, settings.maxSolutions);
    const count = solutions.answers.length;
    if (!solutions.complete || count < settings.minSolutions) return null;
    return { puzzle, solutions };
  });
}
