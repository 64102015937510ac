// The held-out numbers of one or more models side by side, as the terminal shows them.
import { scoreUnit } from '../data/index.js';
import type { EvalReport } from '../vi/evaluate.js';
import { fixed, table } from './format.js';

export interface LabelledReport {
  label: string;
  report: EvalReport;
  wallSeconds?: number;
}

/** A cell that only a model with latents has; '-' for an AR baseline. */
const withLatents = (cell: (report: EvalReport) => string) =>
  (report: EvalReport) => (report.latentUnits > 0 ? cell(report) : '-');

/** The rows every table has; `unit` is what the per-byte numbers count. */
function rowsIn(unit: string): [string, (report: EvalReport) => string][] {
  const bits = `bits/${unit}`;
  return [
    [`NLL (${bits}, posterior sample)`, (r) => fixed(r.nllBitsPerByte)],
    [`KL (${bits})`, withLatents((r) => fixed(r.klBitsPerByte, 4))],
    [`bound = NLL + KL (${bits})`, (r) => fixed(r.boundBitsPerByte)],
    [`suffix NLL, z from prefix (${bits})`, (r) => fixed(r.suffixNllBitsPerByte)],
    [`NLL at posterior mean (${bits})`,
      withLatents((r) => fixed(r.nllAtPosteriorMeanBitsPerByte))],
    [`NLL at prior mean z=0 (${bits})`,
      withLatents((r) => fixed(r.nllAtPriorMeanBitsPerByte))],
    ['KL per sequence (bits)', withLatents((r) => fixed(r.klBitsPerSequence, 2))],
    ['active latent units',
      (r) => (r.latentUnits > 0 ? `${r.activeUnits}/${r.latentUnits}` : '-')],
    ['inner-loop objective by step (nats/token)',
      (r) => (r.innerTrace.length > 0 ? r.innerTrace.map((v) => fixed(v, 3)).join(' ') : '-')],
  ];
}

/**
 * A table with one column per model, on a corpus of `dataKind` (config data.kind): it sets
 * what the per-byte numbers count and what the latents' labels are.
 */
export function reportTable(reports: LabelledReport[], dataKind = 'sotu'): string {
  const unit = scoreUnit(dataKind);
  const header = ['', ...reports.map(({ label }) => label)];
  const body = rowsIn(unit).map(([name, cell]) =>
    [name, ...reports.map(({ report }) => cell(report))]);
  if (reports.some(({ report }) => report.topicAccuracy !== undefined)) {
    const label = dataKind === 'hierarchy' ? 'root symbol' : 'topic';
    body.push([`${label} accuracy (nearest centroid)`,
      ...reports.map(({ report }) => fixed(report.topicAccuracy))]);
  }
  if (reports.some(({ wallSeconds }) => wallSeconds !== undefined)) {
    body.push(['training wall time (s)',
      ...reports.map(({ wallSeconds }) => fixed(wallSeconds, 0))]);
  }
  const first = reports[0].report;
  if (first.unigramBitsPerByte !== undefined) {
    body.push([`unigram entropy of the split (bits/${unit})`,
      ...reports.map(({ report }) => fixed(report.unigramBitsPerByte))]);
  }
  for (const [name, value] of Object.entries(first.references ?? {})) {
    body.push([`reference: ${name}`, ...reports.map(() => fixed(value))]);
  }
  body.push(['held-out sequences', ...reports.map(({ report }) => String(report.sequences))]);
  return table([header, ...body]);
}
