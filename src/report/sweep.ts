// Parameter sweeps: every cell of a grid trained from the same base config (same seed, same
// data) into its own run folder, one results line per finished cell, resumable at any point.
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/index.js';
import { decoderParameterCount, disposeDecoder } from '../decoder/index.js';
import { NumericalError } from '../errors.js';
import { latestCheckpoint } from '../train/checkpoint.js';
import { appendJsonLine, packageVersion } from '../train/run-folder.js';
import { train, type TrainEvent, type TrainResult } from '../train/trainer.js';
import { latentFloatsPerSequence } from '../vi/model.js';
import { cellConfigs, expandGrid, type GridAxis, type SweepCell } from './grid.js';
import {
  cellDir, checkSameSweep, openSweepFolder, readSweepResults, sweepFiles, type SweepPlan,
  type SweepResult,
} from './sweep-folder.js';

/**
 * How a cell starts: done (a results line exists), resume (its folder has a checkpoint),
 * restart (a folder without a checkpoint, cleared first) or new.
 */
export type CellStatus = 'done' | 'resume' | 'restart' | 'new';

export interface PlannedCell {
  cell: SweepCell;
  config: Config;
  status: CellStatus;
}

/** What a sweep reports as it goes; the command line turns these into output. */
export type SweepEvent =
  | { type: 'plan'; cells: PlannedCell[] }
  | { type: 'cell-start'; index: number; total: number; cell: SweepCell; status: CellStatus }
  | { type: 'train'; cell: SweepCell; event: TrainEvent }
  | { type: 'cell-done'; index: number; total: number; result: SweepResult };

export interface SweepOptions {
  onEvent?: (event: SweepEvent) => void;
  /** Polled at every training step; true stops the sweep after a checkpoint. */
  shouldStop?: () => boolean;
}

export interface SweepOutcome {
  /** Every finished cell, in grid order (earlier sessions included). */
  results: SweepResult[];
  /** Cells trained (or resumed) by this call. */
  trained: number;
  interrupted: boolean;
}

function statusOf(outDir: string, cell: SweepCell, finished: Set<string>): CellStatus {
  if (finished.has(cell.name)) return 'done';
  const dir = cellDir(outDir, cell.name);
  if (latestCheckpoint(dir) !== null) return 'resume';
  return fs.existsSync(dir) ? 'restart' : 'new';
}

/**
 * The cells of a sweep with their configs and how each would start. Validates every cell
 * and writes nothing: a bad grid value throws a ConfigError naming the cell and the field,
 * and so does an `outDir` that holds a sweep of another base or grid.
 */
export function planSweep(base: Config, grid: readonly GridAxis[], outDir: string):
  PlannedCell[] {
  checkSameSweep(outDir, base, grid);
  const cells = expandGrid(grid);
  const configs = cellConfigs(base, cells);
  const finished = new Set(readSweepResults(outDir).map((result) => result.name));
  return cells.map((cell, index) => ({
    cell, config: configs[index], status: statusOf(outDir, cell, finished),
  }));
}

/** Drops metric lines logged after the checkpoint a resumed run restarts from. */
function trimAfterCheckpoint(dir: string): number {
  const checkpoint = latestCheckpoint(dir)!;
  const step = Number(/step-(\d+)$/.exec(checkpoint)![1]);
  for (const file of ['metrics.jsonl', 'evals.jsonl']) {
    const full = path.join(dir, file);
    if (!fs.existsSync(full)) continue;
    const kept = fs.readFileSync(full, 'utf8').split('\n').filter((line) => {
      if (line.trim() === '') return false;
      try {
        return (JSON.parse(line) as { step: number }).step <= step;
      } catch {
        return false;
      }
    });
    fs.writeFileSync(full, kept.map((line) => line + '\n').join(''));
  }
  return step;
}

function resultLine(planned: PlannedCell, trained: TrainResult, startStep: number): SweepResult {
  const { cell, config } = planned;
  const evaluation = trained.evaluation!;
  const tokens = (trained.steps - startStep) * config.train.batchSize
    * config.model.sequenceLength;
  return {
    name: cell.name,
    overrides: cell.overrides,
    values: cell.values,
    decoderParameters: decoderParameterCount(trained.model.decoder),
    latentFloatsPerSequence: latentFloatsPerSequence(config),
    latentsEnabled: config.latents.enabled,
    innerSteps: config.vi.innerSteps,
    steps: trained.steps,
    nllBitsPerByte: evaluation.nllBitsPerByte,
    klBitsPerByte: evaluation.klBitsPerByte,
    boundBitsPerByte: evaluation.boundBitsPerByte,
    suffixNllBitsPerByte: evaluation.suffixNllBitsPerByte,
    wallSeconds: trained.wallSeconds,
    tokensPerSecond: tokens / Math.max(trained.wallSeconds, 1e-9),
    resumedFromStep: startStep,
    finishedAt: new Date().toISOString(),
  };
}

function divergedLine(planned: PlannedCell, error: NumericalError, parameters: number,
  startStep: number): SweepResult {
  const { cell, config } = planned;
  return {
    name: cell.name, overrides: cell.overrides, values: cell.values,
    decoderParameters: parameters,
    latentFloatsPerSequence: latentFloatsPerSequence(config),
    latentsEnabled: config.latents.enabled,
    innerSteps: config.vi.innerSteps,
    steps: error.step,
    nllBitsPerByte: null, klBitsPerByte: null, boundBitsPerByte: null,
    suffixNllBitsPerByte: null,
    wallSeconds: 0, tokensPerSecond: 0, resumedFromStep: startStep,
    diverged: error.message,
    finishedAt: new Date().toISOString(),
  };
}

/**
 * Trains one cell into its folder. Returns its results line, or null when a stop was
 * requested. A cell that stops on a non-finite value gets a line that says so.
 */
async function runCell(planned: PlannedCell, outDir: string, options: SweepOptions):
  Promise<SweepResult | null> {
  const dir = cellDir(outDir, planned.cell.name);
  const resume = planned.status === 'resume';
  if (planned.status === 'restart') fs.rmSync(dir, { recursive: true, force: true });
  if (resume) trimAfterCheckpoint(dir);
  const started = { step: 0, parameters: 0 };
  const onEvent = (event: TrainEvent) => {
    if (event.type === 'start') Object.assign(started, event);
    options.onEvent?.({ type: 'train', cell: planned.cell, event });
  };
  let trained: TrainResult;
  try {
    trained = await train(planned.config, {
      runDir: dir, resume, name: planned.cell.name, onEvent, shouldStop: options.shouldStop,
    });
  } catch (error) {
    if (!(error instanceof NumericalError)) throw error;
    return divergedLine(planned, error, started.parameters, started.step);
  }
  try {
    return trained.interrupted ? null : resultLine(planned, trained, started.step);
  } finally {
    disposeDecoder(trained.model.decoder);
  }
}

/**
 * Trains every cell of `grid` (the cartesian product of its axes) from `base`, each into
 * `outDir/cells/<name>`, appending one line per finished cell to `outDir/results.jsonl`.
 * Every cell's config is validated before anything is written. Run again with the same base
 * and grid, it skips finished cells, resumes cells that have a checkpoint and restarts the
 * others; with another base or grid it refuses the folder.
 */
export async function runSweep(base: Config, grid: readonly GridAxis[], outDir: string,
  options: SweepOptions = {}): Promise<SweepOutcome> {
  const planned = planSweep(base, grid, outDir);
  const plan: SweepPlan = {
    base, grid: [...grid],
    cells: planned.map(({ cell }) => ({ name: cell.name, overrides: cell.overrides })),
    createdAt: new Date().toISOString(), packageVersion: packageVersion(),
  };
  openSweepFolder(outDir, plan);
  const results = new Map(readSweepResults(outDir, true).map((line) => [line.name, line]));
  options.onEvent?.({ type: 'plan', cells: planned });

  let trained = 0;
  for (const [index, cell] of planned.entries()) {
    if (results.has(cell.cell.name)) continue;
    const total = planned.length;
    options.onEvent?.({ type: 'cell-start', index, total, cell: cell.cell, status: cell.status });
    const line = await runCell(cell, outDir, options);
    trained += 1;
    if (line === null) return { results: ordered(planned, results), trained, interrupted: true };
    appendJsonLine(outDir, sweepFiles.results, line);
    results.set(line.name, line);
    options.onEvent?.({ type: 'cell-done', index, total, result: line });
  }
  return { results: ordered(planned, results), trained, interrupted: false };
}

function ordered(planned: PlannedCell[], results: Map<string, SweepResult>): SweepResult[] {
  return planned.flatMap(({ cell }) => results.get(cell.name) ?? []);
}
