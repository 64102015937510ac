// The report's tables: held-out numbers of runs, the sweep's results, inference-time scaling
// and the reasoner's width and depth scores, as rows of formatted text.
import { scoreUnit } from '../data/index.js';
import { unitOfRuns, type RunRecord } from './folder.js';
import type { Table } from './html.js';
import type { SweepPlan, SweepResult } from './sweep-folder.js';

/** A number as a table shows it: integers whole, others to 3 decimals (tiny ones in e-form). */
export function formatNumber(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value !== 'number') return typeof value === 'string' ? value : JSON.stringify(value);
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  if (value !== 0 && Math.abs(value) < 0.001) return value.toExponential(2);
  return value.toFixed(3);
}

/** Rows of the held-out table; `unit` is what the per-byte numbers count. */
const heldOutRows = (unit: string): [string, string][] => [
  [`NLL (bits/${unit}, posterior sample)`, 'nllBitsPerByte'],
  [`KL (bits/${unit})`, 'klBitsPerByte'],
  [`bound = NLL + KL (bits/${unit})`, 'boundBitsPerByte'],
  [`suffix NLL, z from prefix (bits/${unit})`, 'suffixNllBitsPerByte'],
  [`NLL at posterior mean (bits/${unit})`, 'nllAtPosteriorMeanBitsPerByte'],
  [`NLL at prior mean z=0 (bits/${unit})`, 'nllAtPriorMeanBitsPerByte'],
  ['KL per sequence (bits)', 'klBitsPerSequence'],
  ['active latent units', 'activeUnits'],
  ['latent units', 'latentUnits'],
  [`unigram entropy of the split (bits/${unit})`, 'unigramBitsPerByte'],
  ['held-out sequences', 'sequences'],
];

/** Numeric top-level fields, in file order: how a table shows an evaluation it doesn't know. */
function numericFields(records: Record<string, unknown>[]): string[] {
  const fields = records.flatMap((record) => Object.entries(record)
    .filter(([, value]) => typeof value === 'number').map(([key]) => key));
  return [...new Set(fields)];
}

/** Validation-split numbers of each run that has eval-valid.json, one column per run. */
export function heldOutTable(runs: RunRecord[]): Table | null {
  const evaluated = runs.filter((run) => run.evaluation !== null);
  if (evaluated.length === 0) return null;
  const known = evaluated.every((run) => run.kind === 'ltm');
  const rows: [string, string][] = known ? heldOutRows(unitOfRuns(evaluated))
    : numericFields(evaluated.map((run) => run.evaluation!)).map((field) => [field, field]);
  return {
    caption: 'Held-out numbers (validation split, eval-valid.json)',
    header: ['', ...evaluated.map((run) => run.label)],
    rows: rows.map(([name, field]) => [name,
      ...evaluated.map((run) => formatNumber(run.evaluation![field]))]),
  };
}

/** The value an override list gives `path` (overrides are `path=<JSON>`). */
function overrideValue(overrides: readonly string[], path: string): unknown {
  const line = overrides.find((override) => override.startsWith(`${path}=`));
  if (line === undefined) return undefined;
  const text = line.slice(path.length + 1);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Every cell of the sweep with its grid values and held-out numbers; unfinished cells too. */
export function sweepTable(plan: SweepPlan, results: SweepResult[]): Table {
  const byName = new Map(results.map((result) => [result.name, result]));
  const paths = plan.grid.map((axis) => axis.path);
  const header = ['cell', ...paths, 'decoder parameters', 'latent floats / sequence',
    'NLL', 'KL', 'bound', 'suffix NLL', 'steps', 'train seconds', 'tokens / s'];
  const rows = plan.cells.map((cell, index) => {
    const result = byName.get(cell.name);
    const values = paths.map((path) => formatNumber(overrideValue(cell.overrides, path)));
    if (result === undefined) return [String(index + 1), ...values, 'not run yet'];
    const losses = result.diverged !== undefined ? ['diverged', '-', '-', '-']
      : [result.nllBitsPerByte, result.klBitsPerByte, result.boundBitsPerByte,
        result.suffixNllBitsPerByte].map(formatNumber);
    return [String(index + 1), ...values, formatNumber(result.decoderParameters),
      formatNumber(result.latentFloatsPerSequence), ...losses, formatNumber(result.steps),
      result.wallSeconds.toFixed(1), result.tokensPerSecond.toFixed(0)];
  });
  const width = header.length;
  return {
    caption: 'Sweep results (results.jsonl): held-out numbers in bits per '
      + scoreUnit(plan.base.data.kind),
    header,
    rows: rows.map((row) => [...row, ...Array<string>(width - row.length).fill('')]),
  };
}

const scalingColumns: [string, string][] = [
  ['NLL', 'nllBitsPerByte'],
  ['KL', 'klBitsPerByte'],
  ['bound', 'boundBitsPerByte'],
  ['suffix NLL', 'suffixNllBitsPerByte'],
  ['NLL at posterior mean', 'nllAtPosteriorMeanBitsPerByte'],
];

/** One row per inner-step count of a run's inner-steps-scaling.json. */
export function inferenceTable(run: RunRecord): Table | null {
  const scaling = run.innerStepsScaling;
  if (scaling === null) return null;
  return {
    caption: `${run.label}: ${scaling.split} split after ${scaling.step} training steps `
      + `(bits per ${unitOfRuns([run])})`,
    header: ['inner steps', ...scalingColumns.map(([name]) => name)],
    rows: scaling.scaling.map((entry) => [String(entry.innerSteps),
      ...scalingColumns.map(([, field]) => formatNumber(entry[field]))]),
  };
}

/** Points of a width or depth curve with every numeric field they carry. */
export function reasonerTable(caption: string, axis: string,
  points: Record<string, unknown>[]): Table {
  const fields = numericFields(points).filter((field) => field !== axis);
  return {
    caption,
    header: [axis, ...fields],
    rows: points.map((point) => [formatNumber(point[axis]),
      ...fields.map((field) => formatNumber(point[field]))]),
  };
}
