// Sudoku rules for any box size: parsing, clue conflicts, the checker and exact enumeration.
// The 4x4 and 9x9 families are this with a box size of 2 or 3.
import { DataError } from '../errors.js';
import { checkSolutionCap } from './generation.js';
import { exactCovers, takeFirst, type CoverRow } from './exact-cover.js';
import type { Answer, FamilyName, PuzzleFamily, SolutionSet } from './family.js';
import { cellName, cellPosition, quotePuzzle } from './puzzle-text.js';
import { checkTokenCount, countEqual } from './answer-cells.js';

/** A Sudoku grid of side `boxSize`², row by row; 0 marks a blank, 1..side a clue. */
export interface SudokuPuzzle {
  boxSize: number;
  cells: number[];
}

/** Two cells of one row, column or box holding the same digit. */
export interface SudokuConflict {
  digit: number;
  unit: 'row' | 'column' | 'box';
  /** 1-based number of the row, column or box (boxes counted row by row). */
  unitNumber: number;
  first: number;
  second: number;
}

type Unit = { unit: SudokuConflict['unit']; cells: number[] };
const unitsByBox = new Map<number, Unit[]>();

/** The cell indices of every row, column and box of a grid, built once per box size. */
function units(boxSize: number): Unit[] {
  const known = unitsByBox.get(boxSize);
  if (known !== undefined) return known;
  const side = boxSize * boxSize;
  const result: Unit[] = [];
  for (let i = 0; i < side; i++) {
    const row: number[] = [];
    const column: number[] = [];
    const box: number[] = [];
    const top = Math.floor(i / boxSize) * boxSize;
    const left = (i % boxSize) * boxSize;
    for (let j = 0; j < side; j++) {
      row.push(i * side + j);
      column.push(j * side + i);
      box.push((top + Math.floor(j / boxSize)) * side + left + (j % boxSize));
    }
    result.push({ unit: 'row', cells: row }, { unit: 'column', cells: column });
    result.push({ unit: 'box', cells: box });
  }
  unitsByBox.set(boxSize, result);
  return result;
}

/** The first repeated digit in any unit, ignoring blanks; null when there is none. */
export function findConflict(cells: readonly number[], boxSize: number): SudokuConflict | null {
  const numbers = { row: 0, column: 0, box: 0 };
  for (const { unit, cells: members } of units(boxSize)) {
    numbers[unit] += 1;
    const seenAt = new Map<number, number>();
    for (const cell of members) {
      const digit = cells[cell];
      if (digit === 0) continue;
      const earlier = seenAt.get(digit);
      if (earlier !== undefined) {
        return { digit, unit, unitNumber: numbers[unit], first: earlier, second: cell };
      }
      seenAt.set(digit, cell);
    }
  }
  return null;
}

/** Reads a grid string: one character per cell, '1'..side for clues, '.' or '0' for blanks. */
export function parseSudoku(text: string, boxSize: number, family: string): SudokuPuzzle {
  const side = boxSize * boxSize;
  const where = `${family} puzzle ${quotePuzzle(text)}`;
  const alphabet = `'1'-'${side}', '.' or '0' for a blank`;
  if (text.length !== side * side) {
    throw new DataError(
      `${where}: expected ${side * side} cells (${alphabet}), got ${text.length} characters`,
    );
  }
  const cells = [...text].map((char, index) => {
    if (char === '.' || char === '0') return 0;
    const digit = Number(char);
    if (!/^[1-9]$/.test(char) || digit > side) {
      const cell = cellName(index, side);
      throw new DataError(`${where}: ${cell} holds '${char}'; expected ${alphabet}`);
    }
    return digit;
  });
  const conflict = findConflict(cells, boxSize);
  if (conflict !== null) throw new DataError(`${where}: ${describeConflict(conflict, side)}`);
  return { boxSize, cells };
}

function describeConflict(conflict: SudokuConflict, side: number): string {
  const first = cellPosition(conflict.first, side);
  const second = cellPosition(conflict.second, side);
  return (
    `digit ${conflict.digit} appears twice in ${conflict.unit} ${conflict.unitNumber} ` +
    `(at ${first} and at ${second}); each digit may appear once per row, column and box`
  );
}

/** True when the answer is a complete grid with no repeated digit that keeps every clue. */
export function isValidSudoku(puzzle: SudokuPuzzle, answer: Answer): boolean {
  const side = puzzle.boxSize * puzzle.boxSize;
  if (answer.length !== side * side) return false;
  for (let cell = 0; cell < answer.length; cell++) {
    const digit = answer[cell];
    if (!Number.isInteger(digit) || digit < 1 || digit > side) return false;
    if (puzzle.cells[cell] !== 0 && puzzle.cells[cell] !== digit) return false;
  }
  return findConflict(answer, puzzle.boxSize) === null;
}

/**
 * The four exact-cover columns of writing `digit` in `cell`: the cell, and the digit's slot
 * in the cell's row, column and box.
 */
function placementColumns(cell: number, digit: number, boxSize: number): number[] {
  const side = boxSize * boxSize;
  const area = side * side;
  const row = Math.floor(cell / side);
  const column = cell % side;
  const box = Math.floor(row / boxSize) * boxSize + Math.floor(column / boxSize);
  const d = digit - 1;
  return [cell, area + row * side + d, 2 * area + column * side + d, 3 * area + box * side + d];
}

/**
 * The placements a cover may choose: a clue cell offers its own digit; a blank cell offers
 * each digit no clue already holds in its row, column or box (pruning that only makes the
 * search smaller, never changes its covers).
 */
function candidatePlacements(puzzle: SudokuPuzzle): { cell: number; digit: number }[] {
  const side = puzzle.boxSize * puzzle.boxSize;
  const taken = new Set<number>();
  puzzle.cells.forEach((digit, cell) => {
    if (digit !== 0) placementColumns(cell, digit, puzzle.boxSize).forEach((c) => taken.add(c));
  });
  const placements: { cell: number; digit: number }[] = [];
  puzzle.cells.forEach((clue, cell) => {
    for (let digit = 1; digit <= side; digit++) {
      const columns = placementColumns(cell, digit, puzzle.boxSize);
      const open = clue === 0 && !columns.some((column) => taken.has(column));
      if (clue === digit || open) placements.push({ cell, digit });
    }
  });
  return placements;
}

/**
 * Every completion of the grid, up to `max`. Columns: each cell filled, each digit once per
 * row, per column and per box.
 */
export function sudokuSolutions(puzzle: SudokuPuzzle, max: number): SolutionSet {
  checkSolutionCap('sudoku solutions', max);
  const area = puzzle.cells.length;
  const placements = candidatePlacements(puzzle);
  const rows: CoverRow[] = placements.map(({ cell, digit }) => ({
    primary: placementColumns(cell, digit, puzzle.boxSize),
    secondary: [],
  }));
  const grids = function* () {
    for (const cover of exactCovers({ primaryColumns: 4 * area, secondaryColumns: 0, rows })) {
      const grid = new Array<number>(area).fill(0);
      for (const index of cover) grid[placements[index].cell] = placements[index].digit;
      yield grid;
    }
  };
  // Distinct covers give distinct grids, so no key is needed.
  const { items, complete } = takeFirst(grids(), max);
  return { answers: items, complete };
}

/** Every Sudoku family member except the generator, for box size 2 (4x4) or 3 (9x9). */
export function sudokuRules(
  name: FamilyName,
  boxSize: number,
  defaultMaxSolutions: number,
): PuzzleFamily<SudokuPuzzle> {
  const side = boxSize * boxSize;
  const area = side * side;
  const digits = (answer: Answer) => answer.join('');
  return {
    name,
    inputLength: area,
    outputLength: area,
    inputVocab: side + 1,
    outputVocab: side,
    defaultMaxSolutions,
    parse: (text) => parseSudoku(text, boxSize, name),
    format: (puzzle) => puzzle.cells.map((digit) => (digit === 0 ? '.' : String(digit))).join(''),
    formatAnswer: digits,
    // Input token 0 is a blank and d a clue d; output token d-1 is digit d.
    encodeInput: (puzzle) => puzzle.cells.slice(),
    encodeAnswer: (answer) => answer.map((digit) => digit - 1),
    decodeAnswer: (tokens) => {
      checkTokenCount(name, tokens, area);
      return tokens.map((token) => token + 1);
    },
    isValid: isValidSudoku,
    solutions: (puzzle, max = defaultMaxSolutions) => sudokuSolutions(puzzle, max),
    canonicalize: (answer) => answer.slice(),
    canonical: digits,
    matchingCells: countEqual,
  };
}
