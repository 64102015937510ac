// Small answer helpers the families share: comparing cells and checking a model's output length.
import { DataError } from '../errors.js';
import type { Answer } from './family.js';

/** Cells where two answers hold the same value, position by position. */
export function countEqual(a: Answer, b: Answer): number {
  let same = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] === b[i]) same++;
  return same;
}

/** Throws DataError unless a model's output has the family's answer length. */
export function checkTokenCount(name: string, tokens: readonly number[], expected: number): void {
  if (tokens.length !== expected) {
    throw new DataError(
      `${name} answer: expected ${expected} output tokens, got ${tokens.length}; ` +
        `decode one full answer at a time`,
    );
  }
}
