// Puzzles from a text file, one per line in the family's string form; blank lines and lines
// starting with '#' are skipped. Every problem is reported with the file and line number.
import { readFileSync } from 'node:fs';
import { DataError } from '../errors.js';
import { exampleFromText, type PuzzleExample } from './example.js';
import type { PuzzleFamily } from './family.js';

/** Examples from text holding one puzzle per line; `source` names the text in errors. */
export function parsePuzzleLines<P>(
  family: PuzzleFamily<P>,
  text: string,
  source: string,
): PuzzleExample<P>[] {
  const examples: PuzzleExample<P>[] = [];
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    try {
      examples.push(exampleFromText(family, line));
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      throw new DataError(`${source}, line ${index + 1}: ${error.message}`);
    }
  });
  if (examples.length === 0) {
    throw new DataError(`${source}: no ${family.name} puzzles found; put one puzzle per line`);
  }
  return examples;
}

/** Examples from a file of one puzzle per line. */
export function loadPuzzleFile<P>(family: PuzzleFamily<P>, path: string): PuzzleExample<P>[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataError(`puzzle file ${path} cannot be read (${reason}); check the path`);
  }
  return parsePuzzleLines(family, text, path);
}
