// The files of a sweep folder: sweep.json (the base config and the grid), results.jsonl (one
// line per finished cell) and cells/<name>/ (each cell's run folder).
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/index.js';
import { ConfigError, DataError } from '../errors.js';
import { canonicalJson, describeJsonProblem, parseJson, readJsonFile } from '../json.js';
import { writeJson } from '../train/run-folder.js';
import { guardedWrite, makeFolder } from '../train/storage.js';
import type { GridAxis, SweepCell } from './grid.js';

/** What sweep.json holds. */
export interface SweepPlan {
  /** The resolved config every cell starts from. */
  base: Config;
  grid: GridAxis[];
  cells: Pick<SweepCell, 'name' | 'overrides'>[];
  createdAt: string;
  packageVersion: string;
}

/** One line of results.jsonl: a finished cell. Losses are held-out (validation split). */
export interface SweepResult {
  name: string;
  overrides: string[];
  values: Record<string, unknown>;
  decoderParameters: number;
  /** L * K * latentDim; 0 for the AR baseline. */
  latentFloatsPerSequence: number;
  latentsEnabled: boolean;
  innerSteps: number;
  steps: number;
  /** null when training diverged (see `diverged`). */
  nllBitsPerByte: number | null;
  klBitsPerByte: number | null;
  boundBitsPerByte: number | null;
  suffixNllBitsPerByte: number | null;
  /** Training wall time of the process that finished the cell (evaluation excluded). */
  wallSeconds: number;
  /** Training tokens per second in that process. */
  tokensPerSecond: number;
  /** Step the last process started from (0 unless the cell was resumed). */
  resumedFromStep: number;
  /** Why training stopped on a non-finite value, when it did. */
  diverged?: string;
  finishedAt: string;
}

export const sweepFiles = {
  plan: 'sweep.json',
  results: 'results.jsonl',
  cells: 'cells',
} as const;

/** The run folder of one cell. */
export function cellDir(outDir: string, name: string): string {
  return path.join(outDir, sweepFiles.cells, name);
}

/** The plan of an existing sweep folder, or null when there is none. */
export function readSweepPlan(outDir: string): SweepPlan | null {
  const file = path.join(outDir, sweepFiles.plan);
  if (!fs.existsSync(file)) return null;
  const plan = readJsonFile(file, (reason) => new DataError(`${file}: ${reason}; the sweep `
    + 'folder is damaged: mend or restore the file, or start over in another --out folder'));
  return plan as SweepPlan;
}

/**
 * Writes sweep.json for a new sweep, or checks that an existing one has the same base config
 * and grid (so a rerun resumes rather than mixes two sweeps).
 */
export function openSweepFolder(outDir: string, plan: SweepPlan): void {
  if (readSweepPlan(outDir) !== null) {
    checkSameSweep(outDir, plan.base, plan.grid);
    return;
  }
  const cells = path.join(outDir, sweepFiles.cells);
  guardedWrite(cells, () => makeFolder(cells));
  writeJson(outDir, sweepFiles.plan, plan);
}

/** Refuses an `outDir` that holds a sweep of another base config or grid. */
export function checkSameSweep(outDir: string, base: Config, grid: readonly GridAxis[]): void {
  const existing = readSweepPlan(outDir);
  if (existing === null) return;
  const same = canonicalJson({ base: existing.base, grid: existing.grid })
    === canonicalJson({ base, grid });
  if (!same) {
    throw new ConfigError(`${outDir}: holds a sweep of another config or grid; pass another `
      + '--out folder, or the same --config, --set and --grid to resume it');
  }
}

/**
 * The finished cells of a sweep. A last line cut short by a crash is ignored; with `repair`
 * it is also cut from the file, so that its cell runs again and later lines start cleanly.
 */
export function readSweepResults(outDir: string, repair = false): SweepResult[] {
  const file = path.join(outDir, sweepFiles.results);
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  if (repair && complete !== text) fs.writeFileSync(file, complete);
  const results: SweepResult[] = [];
  complete.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    results.push(parseJson(line, (problem) => new DataError(`${file}: line ${index + 1} is `
      + `not valid JSON at ${describeJsonProblem(problem, { showLine: false })}; delete that `
      + 'line to run its cell again')) as SweepResult);
  });
  return results;
}
