// `ltm reason --scaling`: a reasoner run scored against width and depth, printed as tables
// and, with --save, written as the run's reason-scaling.json for `ltm report`.
import { writeReasonScaling } from '../report/index.js';
import {
  disposeReasonerModel, reasonerScaling, type ReasonerRun, type ReasonerScaling,
  type ScalingRates,
} from '../sampling/index.js';
import { loadReasonerRun } from '../train/reasoner/index.js';
import { fixed, table } from './format.js';

/** Parsed flags of a scaling request. */
export interface ScalingRequest {
  run: string;
  baseline?: string;
  widths: number[];
  depths: number[];
  /** Width of the depth curve. */
  samples?: number;
  /** Depth of the width curve. */
  depth?: number;
  seed?: number;
  split: 'test' | 'valid';
  inputs?: number;
  save: boolean;
  json: boolean;
}

const columns: [string, keyof ScalingRates, number][] = [
  ['coverage', 'coverage', 3],
  ['valid rate', 'validRate', 3],
  ['exact acc.', 'exactAccuracy', 3],
  ['any valid', 'anyValid', 3],
  ['distinct valid', 'distinctValid', 2],
  ['cell acc.', 'bestCellAccuracy', 3],
  ['entropy bits', 'entropyBits', 2],
];

function ratesTable(axis: string, points: { label: string; rates: ScalingRates }[]): string {
  return table([[axis, ...columns.map(([name]) => name)],
    ...points.map(({ label, rates }) =>
      [label, ...columns.map(([, field, digits]) => fixed(rates[field], digits))])]);
}

/** The printed form of a scaling result: a heading, then one table per curve. */
export function scalingLines(label: string, scaling: ReasonerScaling): string[] {
  const lines = [`${label}: ${scaling.task}, ${scaling.split} split, ${scaling.puzzles} `
    + `puzzles, step ${scaling.step}, seed ${scaling.seed} (${scaling.seconds.toFixed(1)}s)`,
  `width: S trajectories per puzzle at depth ${scaling.widthRounds} rounds`,
  ratesTable('S', scaling.width.map((point) => ({ label: String(point.samples), rates: point }))),
  `depth: R rounds at S = ${scaling.depthSamples}`,
  ratesTable('R', scaling.depth.map((point) => ({ label: String(point.rounds), rates: point })))];
  const baseline = scaling.deterministic;
  if (baseline !== undefined) {
    lines.push(`deterministic baseline ${baseline.runDir ?? ''} (step ${baseline.step}, `
      + `depth ${baseline.rounds} rounds, one answer per puzzle)`,
    ratesTable('', [{ label: '-', rates: baseline }]));
  }
  return lines;
}

/** Scores, prints and optionally saves; returns the exit code. */
export async function reasonScalingCommand(request: ScalingRequest,
  out: (line: string) => void): Promise<number> {
  const runs: ReasonerRun[] = [];
  try {
    const run = await loadReasonerRun(request.run);
    runs.push(run);
    const baseline = request.baseline === undefined ? undefined
      : await loadReasonerRun(request.baseline);
    if (baseline !== undefined) runs.push(baseline);
    const scaling = reasonerScaling(run, { ...request, baseline });
    const file = request.save
      ? writeReasonScaling(request.run, { ...scaling, createdAt: new Date().toISOString() })
      : null;
    if (request.json) out(JSON.stringify(scaling));
    else scalingLines(request.run, scaling).forEach((line) => out(line));
    if (file !== null && !request.json) {
      out(`wrote ${file}; draw it with: npx ltm report ${request.run}`);
    }
    return 0;
  } finally {
    runs.forEach((run) => disposeReasonerModel(run.model));
  }
}
