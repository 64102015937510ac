import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../src/errors.js';
import { createRng } from '../../src/random.js';
import { exampleFromText } from '../../src/tasks/example.js';
import { nQueensCount } from '../../src/tasks/queens.js';
import { allQueens8Boards, createQueens8 } from '../../src/tasks/queens8.js';
import { errorOf } from '../fixtures/errors.js';

const queens8 = createQueens8();
// One of the 92 solutions: the queen of row r stands in column solution[r].
const solution = [0, 4, 7, 5, 2, 6, 1, 3];
const solvedBoard = solution.map((c) => '.'.repeat(c) + 'Q' + '.'.repeat(7 - c)).join('');

function boardWith(squares: number[]): string {
  const cells = new Array<string>(64).fill('.');
  for (const square of squares) cells[square] = 'Q';
  return cells.join('');
}

describe('N-Queens counts', () => {
  it('should count 2, 10, 4, 40, 92, 352, 724 solutions when n is 4 to 10', () => {
    expect([4, 5, 6, 7, 8, 9, 10].map(nQueensCount)).toEqual([2, 10, 4, 40, 92, 352, 724]);
  });

  it('should count 1 when the board is 1x1 and 0 when it is 2x2 or 3x3', () => {
    expect([1, 2, 3].map(nQueensCount)).toEqual([1, 0, 0]);
  });

  it('should throw DataError when the size is not a positive integer', () => {
    expect(() => nQueensCount(0)).toThrow(DataError);
  });
});

describe('queens8 completions', () => {
  it('should return the board itself when no queen is missing', () => {
    const { answers } = queens8.solutions(queens8.parse(solvedBoard));
    expect(answers.map((a) => queens8.formatAnswer(a))).toEqual([solvedBoard]);
    expect(queens8.isValid(queens8.parse(solvedBoard), answers[0])).toBe(true);
  });

  it('should find 92 boards when empty and 4 when a queen stands in a corner', () => {
    expect(queens8.solutions(queens8.parse('.'.repeat(64))).answers).toHaveLength(92);
    expect(queens8.solutions(queens8.parse(boardWith([0]))).answers).toHaveLength(4);
  });

  it('should equal the filtered list of the 92 boards when any queens of one are kept', () => {
    const partial = fc.record({
      board: fc.integer({ min: 0, max: 91 }),
      kept: fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
    });
    fc.assert(
      fc.property(partial, ({ board, kept }) => {
        const cells = allQueens8Boards()[board].map((q, i) => (kept[i] ? q : 0));
        const expected = allQueens8Boards()
          .filter((full) => cells.every((q, i) => q === 0 || full[i] === 1))
          .map((full) => full.join(''));
        const found = queens8.solutions({ size: 8, cells }).answers.map((a) => a.join(''));
        expect(found.sort()).toEqual(expected.sort());
      }),
      { numRuns: 60, seed: 5 },
    );
  });

  it('should reject an answer when a queen is missing, attacked or a given queen is moved', () => {
    const puzzle = queens8.parse(boardWith([0]));
    const valid = queens8.solutions(puzzle).answers[0];
    expect(queens8.isValid(puzzle, valid)).toBe(true);
    const missing = valid.slice();
    missing[valid.lastIndexOf(1)] = 0;
    expect(queens8.isValid(puzzle, missing)).toBe(false);
    const solvedElsewhere = queens8.parse(solvedBoard).cells;
    expect(queens8.isValid(queens8.parse(boardWith([1])), solvedElsewhere)).toBe(false);
    expect(queens8.isValid(puzzle, new Array(64).fill(1))).toBe(false);
  });
});

describe('queens8 generator', () => {
  it('should remove 5 to 7 queens from a solution when generating with defaults', () => {
    const rng = createRng('queens');
    for (let i = 0; i < 50; i++) {
      const { puzzle, solutions } = queens8.generate!(rng);
      const queens = puzzle.cells.filter((q) => q === 1).length;
      expect(queens).toBeGreaterThanOrEqual(1);
      expect(queens).toBeLessThanOrEqual(3);
      expect(solutions.complete).toBe(true);
      for (const answer of solutions.answers) expect(queens8.isValid(puzzle, answer)).toBe(true);
    }
  });

  it('should keep only multi-completion boards when minSolutions is 2', () => {
    const family = createQueens8({ minSolutions: 2 });
    const rng = createRng(3);
    for (let i = 0; i < 20; i++) {
      expect(family.generate!(rng).solutions.answers.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('should throw ConfigError when the removal range is inverted or too wide', () => {
    expect(() => createQueens8({ minRemoved: 7, maxRemoved: 5 })).toThrow(ConfigError);
    expect(() => createQueens8({ maxRemoved: 9 })).toThrow(/a board has 8 queens/);
  });
});

describe('queens8 input errors', () => {
  it('should name the expected length when the board string is short', () => {
    expect(errorOf(() => queens8.parse('Q...')).message).toContain(
      "queens8 puzzle \"Q...\": expected 64 squares ('Q' for a queen, '.' for empty), got 4",
    );
  });

  it('should name the square when a character is neither Q nor a dot', () => {
    const text = '.'.repeat(9) + 'x' + '.'.repeat(54);
    expect(errorOf(() => queens8.parse(text)).message).toContain(
      "cell 10 (row 2, column 2) holds 'x'; expected 'Q' or '.'",
    );
  });

  it('should name both queens when two given queens attack each other', () => {
    expect(errorOf(() => queens8.parse(boardWith([0, 5]))).message).toContain(
      'the queens at row 1, column 1 and at row 1, column 6 share a row',
    );
    expect(errorOf(() => queens8.parse(boardWith([2, 58]))).message).toContain('share a column');
    expect(errorOf(() => queens8.parse(boardWith([0, 9]))).message).toContain('share a diagonal');
  });

  it('should throw DataError when non-attacking queens cannot be completed', () => {
    const text = boardWith([0, 10]);
    expect(errorOf(() => exampleFromText(queens8, text)).message).toContain('has no solution');
  });
});
