// Reading what a report shows from disk: a run folder, a folder of runs (such as the main
// job's ltm/ and ar/), or a sweep folder. Only JSON files are read; no model is loaded.
import fs from 'node:fs';
import path from 'node:path';
import { scoreUnit } from '../data/index.js';
import { DataError } from '../errors.js';
import { readJsonFile } from '../json.js';
import { readReasonScaling, type ReasonScaling } from './reasoner-scaling.js';
import {
  cellDir, readSweepPlan, readSweepResults, type SweepPlan, type SweepResult,
} from './sweep-folder.js';

/** Written by `ltm eval --inner-steps ... --save`: held-out numbers at each inner-step count. */
export const innerStepsScalingFile = 'inner-steps-scaling.json';

/** Written by `ltm analyze ... --save`: one JSON object per analysis, read by reports. */
export const analysisFiles = {
  dependence: 'dependence.json',
  spectrum: 'spectrum.json',
  entropy: 'entropy.json',
  sampleEfficiency: 'sample-efficiency.json',
} as const;

export type AnalysisName = keyof typeof analysisFiles;

export interface InnerStepsScaling {
  /** `valid`, `test`, or the text file scored. */
  split: string;
  /** Training steps behind the weights scored. */
  step: number;
  createdAt: string;
  /** One evaluation per inner-step count; bits-per-byte fields as in an EvalReport. */
  scaling: ({ innerSteps: number } & Record<string, unknown>)[];
}

/** Everything a report uses from one run folder. */
/**
 * What the per-byte numbers of these runs count: 'token' when every run is on a synthetic
 * corpus of symbols, else 'byte'.
 */
export function unitOfRuns(runs: readonly RunRecord[]): 'byte' | 'token' {
  const units = runs.map((run) => scoreUnit(String((run.config.data as { kind?: unknown })
    ?.kind ?? 'sotu')));
  return units.length > 0 && units.every((unit) => unit === 'token') ? 'token' : 'byte';
}

export interface RunRecord {
  dir: string;
  label: string;
  /** From the config's `kind` field; runs without one are latent thought models. */
  kind: 'ltm' | 'reasoner';
  /** False for the AR baseline (latents.enabled false). */
  latentsEnabled: boolean;
  config: Record<string, unknown>;
  meta: Record<string, unknown> | null;
  /** metrics.jsonl, one record per step (a step logged twice keeps its last line). */
  metrics: Record<string, number>[];
  /** eval-valid.json, written at the end of training. */
  evaluation: Record<string, unknown> | null;
  innerStepsScaling: InnerStepsScaling | null;
  reasonScaling: ReasonScaling | null;
  /** The analyses saved into the folder, as written (plain JSON records). */
  analyses: Partial<Record<AnalysisName, Record<string, unknown>>>;
}

export type ReportSource =
  | { kind: 'run'; dir: string; run: RunRecord }
  | { kind: 'group'; dir: string; runs: RunRecord[] }
  | { kind: 'sweep'; dir: string; plan: SweepPlan; results: SweepResult[]; runs: RunRecord[] };

function readFolderFile(file: string): unknown {
  return readJsonFile(file, (reason) => new DataError(`${file}: ${reason}; the folder is damaged: `
    + 'mend or restore the file, or write it again with the command that made it'));
}

function readOptional<T>(dir: string, file: string): T | null {
  const full = path.join(dir, file);
  return fs.existsSync(full) ? readFolderFile(full) as T : null;
}

function readMetrics(dir: string): Record<string, number>[] {
  const file = path.join(dir, 'metrics.jsonl');
  if (!fs.existsSync(file)) return [];
  const byStep = new Map<number, Record<string, number>>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    let record: Record<string, number>;
    try {
      record = JSON.parse(line) as Record<string, number>;
    } catch {
      continue;
    }
    if (typeof record.step === 'number') byStep.set(record.step, record);
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

function readAnalyses(dir: string): RunRecord['analyses'] {
  const found: RunRecord['analyses'] = {};
  for (const [name, file] of Object.entries(analysisFiles) as [AnalysisName, string][]) {
    const record = readOptional<Record<string, unknown>>(dir, file);
    if (record !== null) found[name] = record;
  }
  return found;
}

/** Reads one run folder (it must hold config.json). */
export function readRunRecord(dir: string, label?: string): RunRecord {
  const config = readFolderFile(path.join(dir, 'config.json')) as Record<string, unknown>;
  const meta = readOptional<Record<string, unknown>>(dir, 'meta.json');
  const latents = config.latents as { enabled?: boolean } | undefined;
  return {
    dir,
    label: label ?? String(meta?.name ?? path.basename(path.resolve(dir))),
    kind: config.kind === 'reasoner' ? 'reasoner' : 'ltm',
    latentsEnabled: latents?.enabled !== false,
    config,
    meta,
    metrics: readMetrics(dir),
    evaluation: readOptional(dir, 'eval-valid.json'),
    innerStepsScaling: readOptional(dir, innerStepsScalingFile),
    reasonScaling: readReasonScaling(dir),
    analyses: readAnalyses(dir),
  };
}

const isRun = (dir: string) => fs.existsSync(path.join(dir, 'config.json'));

/** Subfolders that are runs; the main job's ltm/ and ar/ come first, labelled. */
function groupRuns(dir: string): RunRecord[] {
  const names = fs.readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && isRun(path.join(dir, entry.name)))
    .map((entry) => entry.name);
  const rank = (name: string) => (name === 'ltm' ? 0 : name === 'ar' ? 1 : 2);
  names.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
  const labels: Record<string, string> = { ltm: 'LTM', ar: 'AR baseline' };
  return names.map((name) => readRunRecord(path.join(dir, name), labels[name] ?? name));
}

/** A short name for a sweep cell: `perLayer=2, innerSteps=4` for its overrides. */
export function cellLabel(overrides: readonly string[]): string {
  return overrides.map((override) => {
    const equals = override.indexOf('=');
    const field = override.slice(0, equals).split('.').pop();
    return `${field}=${override.slice(equals + 1).replace(/^"(.*)"$/, '$1')}`;
  }).join(', ');
}

/** What kind of folder `dir` is, with everything a report needs from it. */
export function readReportSource(dir: string): ReportSource {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new DataError(`${dir}: no such folder; pass a run or sweep folder`);
  }
  const plan = readSweepPlan(dir);
  if (plan !== null) {
    const runs = plan.cells.filter(({ name }) => isRun(cellDir(dir, name)))
      .map((cell) => readRunRecord(cellDir(dir, cell.name), cellLabel(cell.overrides)));
    return { kind: 'sweep', dir, plan, results: readSweepResults(dir), runs };
  }
  if (isRun(dir)) return { kind: 'run', dir, run: readRunRecord(dir) };
  const runs = groupRuns(dir);
  if (runs.length > 0) return { kind: 'group', dir, runs };
  throw new DataError(`${dir}: not a run folder (no config.json), a folder of runs or a sweep `
    + '(no sweep.json); pass a folder written by ltm train, ltm main or ltm sweep');
}

/** The runs of a source, whatever its kind. */
export function runsOf(source: ReportSource): RunRecord[] {
  return source.kind === 'run' ? [source.run] : source.runs;
}
