// Reading user text from disk: a file, a folder of text files, or JSON lines. Each problem
// becomes a DataError that names the file (and line), the config field and the fix.
import fs from 'node:fs';
import path from 'node:path';
import { DataError } from '../errors.js';
import { describeJsonProblem, parseJson } from '../json.js';

/** One unit that never straddles two splits: a speech, a file, a JSON line. */
export interface TextDocument {
  /** Where it came from, for messages: a file, or `file:line`. */
  source: string;
  text: string;
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** The file extensions a folder contributes; anything else in it is ignored. */
export const TEXT_EXTENSIONS = ['.txt', '.md'];

/** Throws unless `data.path` names something that exists; returns its stat. */
export function statPath(target: string, kind: string): fs.Stats {
  if (target === '') {
    throw new DataError(
      `data.path is empty; kind "${kind}" reads its text from data.path: set it to a `
        + (kind === 'jsonl' ? '.jsonl file' : 'text file or a folder of .txt/.md files'),
    );
  }
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) {
    throw new DataError(
      `data.path: ${target} does not exist (relative paths start at ${process.cwd()}); `
        + 'fix data.path',
    );
  }
  return stat;
}

/** A file's text, refusing empty files, binary files and bytes that are not UTF-8. */
export function readTextFile(file: string): string {
  const bytes = fs.readFileSync(file);
  if (bytes.length === 0) {
    throw new DataError(`${file}: the file is empty; add text to it or change data.path`);
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new DataError(
      `${file}: byte ${nul} is NUL, so this looks like a binary file, not text; `
        + 'point data.path at plain UTF-8 text',
    );
  }
  try {
    return strictDecoder.decode(bytes);
  } catch {
    throw new DataError(
      `${file}: not valid UTF-8 text; convert it to UTF-8 (e.g. iconv -t UTF-8) `
        + 'or point data.path at another file',
    );
  }
}

/** Every .txt and .md file under a folder, recursively, in sorted path order. */
export function listTextFiles(folder: string): string[] {
  const entries = fs.readdirSync(folder, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && TEXT_EXTENSIONS.includes(path.extname(entry.name)))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  if (files.length === 0) {
    throw new DataError(
      `${folder}: the folder holds no ${TEXT_EXTENSIONS.join(' or ')} files; add text files `
        + 'or set data.path to a single file',
    );
  }
  return files;
}

/** The folder's text files as documents, in sorted path order. */
export function readTextFolder(folder: string): TextDocument[] {
  return listTextFiles(folder).map((file) => ({ source: file, text: readTextFile(file) }));
}

function lineText(file: string, lineNumber: number, line: string, field: string): string {
  const where = `${file}:${lineNumber}`;
  const value = parseJson(line, (problem) => new DataError(`${where}: not valid JSON at `
    + `${describeJsonProblem(problem, { showLine: false })}; fix or remove the line: `
    + problem.fix));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DataError(`${where}: expected a JSON object with a "${field}" string; fix the line`);
  }
  const text = (value as Record<string, unknown>)[field];
  if (text === undefined) {
    throw new DataError(
      `${where}: the object has no field "${field}"; set data.jsonlField to the field that `
        + 'holds the text',
    );
  }
  if (typeof text !== 'string') {
    const actual = text === null ? 'null' : Array.isArray(text) ? 'an array'
      : typeof text === 'object' ? 'an object' : `a ${typeof text}`;
    throw new DataError(
      `${where}: field "${field}" is ${actual}, not a string; set data.jsonlField to the `
        + 'field that holds the text',
    );
  }
  return text;
}

/** One document per non-blank line of a JSON-lines file: the line's `field` string. */
export function readJsonLines(file: string, field: string): TextDocument[] {
  const documents: TextDocument[] = [];
  readTextFile(file).split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const text = lineText(file, index + 1, line, field);
    if (text !== '') documents.push({ source: `${file}:${index + 1}`, text });
  });
  if (documents.length === 0) {
    throw new DataError(
      `${file}: no line has a non-empty "${field}" string; add lines or fix data.jsonlField`,
    );
  }
  return documents;
}
