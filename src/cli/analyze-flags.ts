// Flag values of the `ltm analyze` commands, checked before anything loads: whole numbers,
// lists of them, and the folder that --save writes into.
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';

/** A whole number of at least `least`, or a UsageError naming the flag and an example. */
export function wholeNumber(flag: string, value: string | undefined, fallback: number,
  least = 1): number {
  if (value === undefined) return fallback;
  const parsed = value.trim() === '' ? NaN : Number(value);
  if (!Number.isInteger(parsed) || parsed < least) {
    throw new UsageError(`${flag} ${value}: expected a whole number of at least ${least}, `
      + `such as ${Math.max(least, fallback)}`);
  }
  return parsed;
}

/** A comma-separated list of whole numbers of at least `least`. */
export function numberList(flag: string, value: string, least: number, example: string): number[] {
  const parts = value.split(',').map((part) => (part.trim() === '' ? NaN : Number(part)));
  if (parts.length === 0 || parts.some((n) => !Number.isInteger(n) || n < least)) {
    throw new UsageError(`${flag} ${value}: expected a comma-separated list of whole numbers `
      + `of at least ${least}, such as ${example}`);
  }
  return parts;
}

/** --split: valid or test. */
export function heldOutSplit(value: string | undefined): 'valid' | 'test' {
  const split = value ?? 'valid';
  if (split !== 'valid' && split !== 'test') {
    throw new UsageError(`--split ${split}: use valid or test`);
  }
  return split;
}

/** A run folder that --save may write into: it must exist and hold config.json. */
export function saveFolder(dir: string): string {
  if (!fs.existsSync(path.join(dir, 'config.json'))) {
    throw new UsageError(`--save ${dir}: not a run folder (no config.json); pass a folder `
      + 'written by ltm train, whose report should show this analysis');
  }
  return dir;
}
