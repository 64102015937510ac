import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { exampleFromText } from '../../src/tasks/example.js';
import { allSudoku4Grids, createSudoku4 } from '../../src/tasks/sudoku4.js';
import { createSudoku9 } from '../../src/tasks/sudoku9.js';
import { errorOf } from '../fixtures/errors.js';

const sudoku4 = createSudoku4();
const sudoku9 = createSudoku9();
const digits = (text: string) => [...text].map(Number);

// Rows 1-2 given in full leave row 3 as (a, b, c, d) with a, c in {2, 4}, b, d in {1, 3},
// a != c, b != d, and row 4 forced: four completions, worked out by hand.
const twoRowsGiven = '12343412........';
const handSolutions = [
  '1234341221434321',
  '1234341223414123',
  '1234341241232341',
  '1234341243212143',
];

describe('sudoku4 enumeration', () => {
  it('should find the four hand-checked completions when two rows are given', () => {
    const { answers, complete } = sudoku4.solutions(sudoku4.parse(twoRowsGiven));
    expect(complete).toBe(true);
    expect(answers.map((a) => a.join('')).sort()).toEqual(handSolutions);
  });

  it('should keep only the completions with the clue when one more clue is given', () => {
    const { answers } = sudoku4.solutions(sudoku4.parse('123434122.......'));
    expect(answers.map((a) => a.join('')).sort()).toEqual(handSolutions.slice(0, 2));
  });

  it('should count 288 completions when the 4x4 grid is empty', () => {
    expect(sudoku4.solutions(sudoku4.parse('.'.repeat(16))).answers).toHaveLength(288);
    expect(new Set(allSudoku4Grids().map((g) => g.join(''))).size).toBe(288);
  });

  it('should stop at the cap and report an incomplete set when there are more', () => {
    const capped = sudoku4.solutions(sudoku4.parse('0'.repeat(16)), 10);
    expect(capped.answers).toHaveLength(10);
    expect(capped.complete).toBe(false);
    expect(sudoku4.solutions(sudoku4.parse(twoRowsGiven), 4).complete).toBe(true);
  });

  it('should equal the filtered list of all 288 grids when clues are any subset of a grid', () => {
    const clueSets = fc.record({
      grid: fc.integer({ min: 0, max: 287 }),
      shown: fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
    });
    fc.assert(
      fc.property(clueSets, ({ grid, shown }) => {
        const cells = allSudoku4Grids()[grid].map((d, i) => (shown[i] ? d : 0));
        const expected = allSudoku4Grids()
          .filter((g) => cells.every((d, i) => d === 0 || g[i] === d))
          .map((g) => g.join(''))
          .sort();
        const found = sudoku4.solutions({ boxSize: 2, cells }).answers.map((a) => a.join(''));
        expect(found.sort()).toEqual(expected);
      }),
      { numRuns: 60, seed: 11 },
    );
  });
});

describe('sudoku checker', () => {
  const puzzle = sudoku4.parse(twoRowsGiven);

  it('should accept every hand solution when it keeps the clues', () => {
    for (const text of handSolutions) expect(sudoku4.isValid(puzzle, digits(text))).toBe(true);
  });

  it('should reject an answer when a digit repeats, a clue changes or a cell is missing', () => {
    expect(sudoku4.isValid(puzzle, digits('1234341221434322'))).toBe(false);
    expect(sudoku4.isValid(puzzle, digits('2143341212344321'))).toBe(false);
    expect(sudoku4.isValid(puzzle, digits('123434122143432'))).toBe(false);
    expect(sudoku4.isValid(puzzle, digits('1234341221434320'))).toBe(false);
  });

  it('should round-trip tokens when an answer is encoded and decoded', () => {
    const answer = digits(handSolutions[2]);
    expect(sudoku4.encodeAnswer(answer)).toEqual(answer.map((d) => d - 1));
    expect(sudoku4.decodeAnswer(sudoku4.encodeAnswer(answer), puzzle)).toEqual(answer);
    expect(sudoku4.encodeInput(sudoku4.parse('1.3.............'))).toEqual([
      1, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    expect(sudoku4.format(sudoku4.parse('1030' + '0'.repeat(12)))).toBe('1.3.............');
  });
});

describe('sudoku9', () => {
  const classic =
    '53..7....6..195....98....6.8...6...34..8.3..17...2...6.6....28....419..5....8..79';
  const solved =
    '534678912672195348198342567859761423426853791713924856961537284287419635345286179';

  it('should find the one known solution when the puzzle has a unique completion', () => {
    const { answers, complete } = sudoku9.solutions(sudoku9.parse(classic));
    expect(complete).toBe(true);
    expect(answers.map((a) => a.join(''))).toEqual([solved]);
    expect(sudoku9.isValid(sudoku9.parse(classic), digits(solved))).toBe(true);
  });

  it('should report an incomplete count when a sparse grid exceeds the cap', () => {
    const threeRows = sudoku9.parse(classic.slice(0, 27) + '.'.repeat(54));
    const { answers, complete } = sudoku9.solutions(threeRows, 500);
    expect(answers).toHaveLength(500);
    expect(complete).toBe(false);
    expect(sudoku9.defaultMaxSolutions).toBe(100_000);
  });

  it('should name the cell count when a 9x9 string is too short', () => {
    expect(errorOf(() => sudoku9.parse(classic.slice(1))).message).toContain(
      "expected 81 cells ('1'-'9', '.' or '0' for a blank), got 80 characters",
    );
  });
});

describe('sudoku input errors', () => {
  const cases: { text: string; fragment: string }[] = [
    { text: '123', fragment: 'expected 16 cells' },
    { text: '12x4............', fragment: "cell 3 (row 1, column 3) holds 'x'; expected '1'-'4'" },
    { text: '.............5..', fragment: "cell 14 (row 4, column 2) holds '5'" },
    {
      text: '11..............',
      fragment: 'digit 1 appears twice in row 1 (at row 1, column 1 and at row 1, column 2)',
    },
    { text: '2...2...........', fragment: 'digit 2 appears twice in column 1' },
    { text: '3....3..........', fragment: 'digit 3 appears twice in box 1' },
  ];

  for (const { text, fragment } of cases) {
    it(`should throw DataError naming the problem when the puzzle is "${text}"`, () => {
      const error = errorOf(() => sudoku4.parse(text));
      expect(error.message).toContain(`sudoku4 puzzle "${text}"`);
      expect(error.message).toContain(fragment);
    });
  }

  it('should throw DataError when clues agree but leave a cell with no digit', () => {
    // Cell 1 sees 1 and 2 in its row and 3 and 4 in its column.
    const error = errorOf(() => exampleFromText(sudoku4, '.12.....3...4...'));
    expect(error.message).toContain('sudoku4 puzzle ".12.....3...4..." has no solution');
  });

  it('should throw DataError when a model output has the wrong length', () => {
    const puzzle = sudoku4.parse(twoRowsGiven);
    expect(errorOf(() => sudoku4.decodeAnswer([0, 1], puzzle)).message).toContain(
      'expected 16 output tokens, got 2',
    );
  });
});
