// N-Queens rules for any board size: parsing a partial board, attacks, the checker, and exact
// enumeration of completions (rows and columns must be filled, diagonals at most once).
import { DataError } from '../errors.js';
import { checkSolutionCap } from './generation.js';
import { exactCovers, takeFirst, type CoverProblem } from './exact-cover.js';
import type { Answer, SolutionSet } from './family.js';
import { cellName, cellPosition, quotePuzzle } from './puzzle-text.js';

/** A square board row by row: 1 where a queen stands, 0 elsewhere. */
export interface QueensPuzzle {
  size: number;
  cells: number[];
}

/** Two queens that attack each other. */
export interface QueensAttack {
  first: number;
  second: number;
  line: 'row' | 'column' | 'diagonal';
}

/** The first pair of attacking queens on the board; null when none attack. */
export function findAttack(cells: readonly number[], size: number): QueensAttack | null {
  const queens = cells.flatMap((value, cell) => (value === 1 ? [cell] : []));
  for (let i = 0; i < queens.length; i++) {
    for (let j = i + 1; j < queens.length; j++) {
      const [r1, c1] = [Math.floor(queens[i] / size), queens[i] % size];
      const [r2, c2] = [Math.floor(queens[j] / size), queens[j] % size];
      const first = queens[i];
      const second = queens[j];
      if (r1 === r2) return { first, second, line: 'row' };
      if (c1 === c2) return { first, second, line: 'column' };
      if (Math.abs(r1 - r2) === Math.abs(c1 - c2)) return { first, second, line: 'diagonal' };
    }
  }
  return null;
}

/** Reads a board string of size² characters: 'Q' for a queen, '.' for an empty square. */
export function parseQueens(text: string, size: number, family: string): QueensPuzzle {
  const where = `${family} puzzle ${quotePuzzle(text)}`;
  const area = size * size;
  if (text.length !== area) {
    throw new DataError(
      `${where}: expected ${area} squares ('Q' for a queen, '.' for empty), ` +
        `got ${text.length} characters`,
    );
  }
  const cells = [...text].map((char, index) => {
    if (char === 'Q') return 1;
    if (char === '.') return 0;
    throw new DataError(`${where}: ${cellName(index, size)} holds '${char}'; expected 'Q' or '.'`);
  });
  const attack = findAttack(cells, size);
  if (attack !== null) {
    throw new DataError(
      `${where}: the queens at ${cellPosition(attack.first, size)} and at ` +
        `${cellPosition(attack.second, size)} share a ${attack.line}; ` +
        `no two queens may share a row, column or diagonal`,
    );
  }
  return { size, cells };
}

/** True when the answer has one queen per row, none attacking, and keeps every given queen. */
export function isValidQueens(puzzle: QueensPuzzle, answer: Answer): boolean {
  const { size, cells } = puzzle;
  if (answer.length !== size * size) return false;
  let queens = 0;
  for (let cell = 0; cell < answer.length; cell++) {
    if (answer[cell] !== 0 && answer[cell] !== 1) return false;
    if (cells[cell] === 1 && answer[cell] !== 1) return false;
    queens += answer[cell];
  }
  return queens === size && findAttack(answer, size) === null;
}

/**
 * The exact-cover form of completing a board: one row per square, covering its row and
 * column (primary) and its two diagonals (secondary). A row holding a given queen offers
 * only that square.
 */
function completionProblem(puzzle: QueensPuzzle): { problem: CoverProblem; squares: number[] } {
  const { size, cells } = puzzle;
  const diagonals = 2 * size - 1;
  const rows = [];
  const squares: number[] = [];
  for (let row = 0; row < size; row++) {
    const given = cells.slice(row * size, (row + 1) * size).indexOf(1);
    for (let column = 0; column < size; column++) {
      if (given !== -1 && column !== given) continue;
      const primary = [row, size + column];
      const secondary = [row + column, diagonals + row - column + size - 1];
      rows.push({ primary, secondary });
      squares.push(row * size + column);
    }
  }
  const problem = { primaryColumns: 2 * size, secondaryColumns: 2 * diagonals, rows };
  return { problem, squares };
}

/** Every full board that completes the given queens, up to `max`. */
export function queensCompletions(puzzle: QueensPuzzle, max: number): SolutionSet {
  checkSolutionCap('queens completions', max);
  const { problem, squares } = completionProblem(puzzle);
  const boards = function* () {
    for (const cover of exactCovers(problem)) {
      const board = new Array<number>(puzzle.size * puzzle.size).fill(0);
      for (const index of cover) board[squares[index]] = 1;
      yield board;
    }
  };
  // Distinct covers give distinct boards, so no key is needed.
  const { items, complete } = takeFirst(boards(), max);
  return { answers: items, complete };
}

/** The number of ways to place `size` non-attacking queens on a size x size board. */
export function nQueensCount(size: number): number {
  if (!Number.isInteger(size) || size < 1) {
    throw new DataError(`N-Queens board size ${size} must be an integer of at least 1`);
  }
  const empty = { size, cells: new Array<number>(size * size).fill(0) };
  let count = 0;
  for (const _ of exactCovers(completionProblem(empty).problem)) count++;
  return count;
}
