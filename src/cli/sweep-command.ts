// `ltm sweep`: trains every cell of a grid of config values into one sweep folder, checking
// every cell's config first; run again with the same flags (or only --out) to resume.
import fs from 'node:fs';
import { loadConfig, sectionsOf, validateConfig, type Config } from '../config/index.js';
import { scoreUnit } from '../data/index.js';
import { UsageError } from '../errors.js';
import {
  parseGridAxis, planSweep, readSweepPlan, runSweep, type GridAxis, type PlannedCell,
  type SweepEvent, type SweepResult,
} from '../report/index.js';
import type { TrainEvent } from '../train/trainer.js';
import { requireLtmConfig } from './config-kind.js';
import { checkFolderFlag } from './folder-flag.js';
import { counted, fixed, shellWord, table } from './format.js';
import { lineWriter, terminalOutput, type CliOutput } from './output.js';
import { progressPrinter } from './progress.js';
import { listenForStop, stoppingLine } from './signals.js';

export interface SweepFlags {
  config?: string;
  grid: string[];
  set: string[];
  out: string;
  dryRun?: boolean;
}

/** Refuses a grid axis that would change the kind of model or set what only reasoners read. */
function checkGridPath(path: string): void {
  const section = path.split('.')[0];
  if (section === 'kind') {
    throw new UsageError('--grid kind: every cell of a sweep is a latent thought model; sweep '
      + 'its fields instead');
  }
  if ((sectionsOf.reasoner as readonly string[]).includes(section)) {
    throw new UsageError(`--grid ${path}: ${section} is read only by reasoners, and every `
      + 'cell of a sweep is a latent thought model');
  }
}

/** The base config and grid the flags mean: from --config and --grid, or from sweep.json. */
export function resolveSweep(flags: SweepFlags): { base: Config; grid: GridAxis[] } {
  if (flags.out.trim() === '') throw new UsageError('--out is empty; name a sweep folder');
  if (flags.config === undefined) {
    if (flags.grid.length > 0 || flags.set.length > 0) {
      throw new UsageError('sweep: --grid and --set need --config FILE (pass only --out DIR '
        + 'to resume a sweep as it was started)');
    }
    const plan = readSweepPlan(flags.out);
    if (plan === null) {
      throw new UsageError(`${flags.out}: no sweep.json; start a sweep with --config FILE and `
        + '--grid path=v1,v2');
    }
    return { base: validateConfig(plan.base, `${flags.out}/sweep.json`), grid: plan.grid };
  }
  if (flags.grid.length === 0) {
    throw new UsageError('sweep needs at least one --grid path=v1,v2, e.g. '
      + '--grid latents.perLayer=1,2,4,8');
  }
  const { config } = loadConfig(flags.config, flags.set);
  requireLtmConfig('sweep', flags.config, config);
  const grid = flags.grid.map(parseGridAxis);
  for (const { path } of grid) checkGridPath(path);
  return { base: config, grid };
}

/** A folder for a sweep that --config starts: one that can be made, or holds this sweep. */
function checkNewSweepFolder(out: string): void {
  checkFolderFlag('--out', out);
  const holdsOther = fs.existsSync(out) && readSweepPlan(out) === null
    && fs.readdirSync(out).length > 0;
  if (holdsOther) {
    throw new UsageError(`--out ${out}: the folder holds other files and no sweep; choose a `
      + 'new or empty folder');
  }
}

const statusText = {
  done: 'done', resume: 'resumes from its checkpoint', restart: 'restarts (no checkpoint)',
  new: 'new',
} as const;

function planLines(planned: PlannedCell[]): string[] {
  const todo = planned.filter((cell) => cell.status !== 'done').length;
  return [`${counted(planned.length, 'cell')}, ${todo} to train:`,
    ...planned.map(({ cell, status }, index) =>
      `  ${String(index + 1).padStart(3)}. ${cell.name}: ${statusText[status]}`)];
}

function doneLine(result: SweepResult, prefix: string, unit: string): string {
  if (result.diverged !== undefined) return `${prefix} diverged: ${result.diverged}`;
  return `${prefix} done: bound ${fixed(result.boundBitsPerByte ?? undefined)}, suffix NLL `
    + `${fixed(result.suffixNllBitsPerByte ?? undefined)} bits/${unit}, `
    + `${fixed(result.wallSeconds, 1)} s, ${fixed(result.tokensPerSecond, 0)} tokens/s`;
}

/** Turns sweep events into one header per cell, training progress, and a line per result. */
function sweepPrinter(out: (line: string) => void, unit: string) {
  let trainPrinter: ((event: TrainEvent) => void) | null = null;
  return (event: SweepEvent) => {
    if (event.type === 'cell-start') {
      const label = `[${event.index + 1}/${event.total}]`;
      out(`${label} ${event.cell.name}: ${statusText[event.status]}`);
      trainPrinter = progressPrinter(label, out, unit);
    } else if (event.type === 'train') {
      trainPrinter?.(event.event);
    } else if (event.type === 'cell-done') {
      out(doneLine(event.result, `[${event.index + 1}/${event.total}]`, unit));
    }
  };
}

function summary(results: SweepResult[]): string {
  const rows = results.map((result) => [result.name, fixed(result.boundBitsPerByte ?? undefined),
    fixed(result.suffixNllBitsPerByte ?? undefined), String(result.decoderParameters),
    String(result.latentFloatsPerSequence)]);
  return table([['cell', 'bound', 'suffix NLL', 'decoder params', 'latent floats'], ...rows]);
}

export async function sweepCommand(flags: SweepFlags,
  output: CliOutput = terminalOutput): Promise<number> {
  const { base, grid } = resolveSweep(flags);
  const planned = planSweep(base, grid, flags.out);
  if (flags.config !== undefined) checkNewSweepFolder(flags.out);
  const out = lineWriter(output);
  planLines(planned).forEach(out);
  if (flags.dryRun) return 0;

  const stop = listenForStop((cause) => out(stoppingLine('sweep', cause)));
  let outcome;
  try {
    outcome = await runSweep(base, grid, flags.out, {
      onEvent: sweepPrinter(out, scoreUnit(base.data.kind)), shouldStop: stop.requested,
    });
  } finally {
    stop.release();
  }
  if (outcome.interrupted) {
    out(`stopped; resume with: npx ltm sweep --out ${shellWord(flags.out)}`);
    return 130;
  }
  out(`\nHeld-out numbers (validation split, bits per ${scoreUnit(base.data.kind)}):`);
  out(summary(outcome.results));
  out(`\nsweep folder: ${flags.out} (results.jsonl); charts: npx ltm report `
    + shellWord(flags.out));
  return 0;
}
