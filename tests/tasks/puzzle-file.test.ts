import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { loadPuzzleFile, parsePuzzleLines } from '../../src/tasks/puzzle-file.js';
import { createFamily } from '../../src/tasks/registry.js';

const sudoku4 = createFamily('sudoku4');
const folder = mkdtempSync(join(tmpdir(), 'puzzles-'));

function write(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

describe('loadPuzzleFile', () => {
  it('should read one puzzle per line and skip blanks and comments', () => {
    const path = write('good.txt', '# two rows given\n12343412........\n\n  123434122.......  \n');
    const examples = loadPuzzleFile(sudoku4, path);
    expect(examples.map((e) => [e.text, e.solutions.length])).toEqual([
      ['12343412........', 4],
      ['123434122.......', 2],
    ]);
  });

  it('should name the file and line when a line cannot be parsed', () => {
    const path = write('bad.txt', '12343412........\n# note\n11..............\n');
    expect(() => loadPuzzleFile(sudoku4, path)).toThrow(
      `${path}, line 3: sudoku4 puzzle "11..............": digit 1 appears twice in row 1`,
    );
  });

  it('should name the file and line when a puzzle has no solution', () => {
    const path = write('unsolvable.txt', '.12.....3...4...\r\n');
    expect(() => loadPuzzleFile(sudoku4, path)).toThrow(`${path}, line 1: sudoku4 puzzle`);
    expect(() => loadPuzzleFile(sudoku4, path)).toThrow('has no solution');
  });

  it('should throw DataError when the file is missing or holds no puzzle', () => {
    expect(() => loadPuzzleFile(sudoku4, join(folder, 'absent.txt'))).toThrow(
      /puzzle file .*absent\.txt cannot be read/,
    );
    expect(() => parsePuzzleLines(sudoku4, '# nothing\n', 'notes')).toThrow(DataError);
  });
});
