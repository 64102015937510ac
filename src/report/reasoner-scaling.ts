// The file `reason-scaling.json` a reasoner run folder may hold: answer scores as the number
// of sampled trajectories (width) and of recursion rounds (depth) grows. Read by reports.
import fs from 'node:fs';
import path from 'node:path';
import { DataError } from '../errors.js';
import { readJsonFile } from '../json.js';
import { writeJson } from '../train/run-folder.js';

export const reasonScalingFile = 'reason-scaling.json';

/**
 * Scores averaged over the puzzles of a split, as fractions in [0, 1]. `coverage`: distinct
 * valid answers found / size of the solution set; `validRate`: share of sampled answers that
 * satisfy every constraint; `exactAccuracy`: share of sampled answers that are whole, valid
 * solutions. `anyValid` (share of puzzles with at least one valid answer) is optional.
 */
export interface AnswerRates {
  coverage: number;
  validRate: number;
  exactAccuracy: number;
  anyValid?: number;
}

/** One point of the width curve: S trajectories per puzzle at the run's depth. */
export interface WidthPoint extends AnswerRates {
  samples: number;
  [extra: string]: unknown;
}

/** One point of the depth curve: R recursion rounds at the run's width. */
export interface DepthPoint extends AnswerRates {
  rounds: number;
  [extra: string]: unknown;
}

export interface ReasonScaling {
  /** Free text, e.g. the puzzle family. */
  task?: string;
  /** The split scored, e.g. `test`. */
  split?: string;
  /** Puzzles scored at every point. */
  puzzles?: number;
  width: WidthPoint[];
  depth: DepthPoint[];
  /** The same network with the noise switched off: one answer per puzzle. */
  deterministic?: AnswerRates;
}

const rateKeys = ['coverage', 'validRate', 'exactAccuracy'] as const;

function checkRates(entry: Record<string, unknown>, where: string, optional: boolean): void {
  for (const key of [...rateKeys, 'anyValid']) {
    const value = entry[key];
    if (value === undefined && (key === 'anyValid' || optional)) continue;
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      throw new DataError(`${where}.${key}: ${JSON.stringify(value)} is not a fraction in `
        + '[0, 1]; write the share, not a percentage');
    }
  }
}

function checkPoints(list: unknown, axis: 'samples' | 'rounds', where: string): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) throw new DataError(`${where}: must be an array of points`);
  list.forEach((entry: unknown, index) => {
    const at = `${where}[${index}]`;
    if (typeof entry !== 'object' || entry === null) {
      throw new DataError(`${at}: must be an object`);
    }
    const point = entry as Record<string, unknown>;
    const minimum = axis === 'samples' ? 1 : 0;
    if (!Number.isInteger(point[axis]) || (point[axis] as number) < minimum) {
      throw new DataError(`${at}.${axis}: ${JSON.stringify(point[axis])} is not a whole `
        + `number of at least ${minimum}`);
    }
    checkRates(point, at, false);
  });
}

/** Checks a parsed reason-scaling.json; `file` names it in error messages. */
export function parseReasonScaling(raw: unknown, file: string): ReasonScaling {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new DataError(`${file}: must be a JSON object with width and depth arrays`);
  }
  const data = raw as Record<string, unknown>;
  if (data.width === undefined && data.depth === undefined) {
    throw new DataError(`${file}: has neither 'width' nor 'depth'; write at least one`);
  }
  checkPoints(data.width, 'samples', `${file}: width`);
  checkPoints(data.depth, 'rounds', `${file}: depth`);
  if (data.deterministic !== undefined) {
    if (typeof data.deterministic !== 'object' || data.deterministic === null) {
      throw new DataError(`${file}: deterministic: must be an object of rates`);
    }
    checkRates(data.deterministic as Record<string, unknown>, `${file}: deterministic`, true);
  }
  return { ...data, width: (data.width ?? []) as WidthPoint[],
    depth: (data.depth ?? []) as DepthPoint[] } as ReasonScaling;
}

/** The reason-scaling.json of a run folder, checked, or null when there is none. */
export function readReasonScaling(dir: string): ReasonScaling | null {
  const file = path.join(dir, reasonScalingFile);
  if (!fs.existsSync(file)) return null;
  const raw = readJsonFile(file, (reason) => new DataError(`${file}: ${reason}; rewrite it `
    + 'from the reasoner\'s evaluation'));
  return parseReasonScaling(raw, file);
}

/**
 * Checks `scaling` against the format and writes it into run folder `dir` as
 * reason-scaling.json (replacing one already there); returns the file's path.
 */
export function writeReasonScaling(dir: string, scaling: object): string {
  const file = path.join(dir, reasonScalingFile);
  parseReasonScaling(scaling, file);
  writeJson(dir, reasonScalingFile, scaling);
  return file;
}
