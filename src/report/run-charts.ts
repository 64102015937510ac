// Charts of individual runs: training curves (a latent thought model beside its AR
// baseline when both are there) and inference-time scaling over inner-loop steps.
import { distinct, lineChart, type Chart, type Point } from './chart-specs.js';
import { unitOfRuns, type RunRecord } from './folder.js';

/** Metric fields of an LTM run's metrics.jsonl and of its evaluations, with their names. */
const ltmMetrics: [string, string][] = [
  ['nllBitsPerByte', 'NLL'],
  ['klBitsPerByte', 'KL'],
  ['boundBitsPerByte', 'bound = NLL + KL'],
];

/** Fields of a reasoner run's metrics.jsonl, plotted when present. */
const reasonerMetrics: [string, string][] = [
  ['loss', 'loss'],
  ['crossEntropy', 'cross-entropy'],
  ['kl', 'KL'],
];

/** When more runs than this share a chart, it shows the bound only, one line per run. */
const maxRunsWithAllMetrics = 3;

function metricPoints(run: RunRecord, metrics: [string, string][], group?: string): Point[] {
  return run.metrics.flatMap((record) => metrics
    .filter(([field]) => Number.isFinite(record[field]))
    .map(([field, name]) => ({ x: record.step, y: record[field], series: name, group })));
}

function manyRunsChart(runs: RunRecord[]): Chart {
  const unit = unitOfRuns(runs);
  const points = runs.flatMap((run) => run.metrics
    .filter((record) => Number.isFinite(record.boundBitsPerByte))
    .map((record) => ({ x: record.step, y: record.boundBitsPerByte, series: run.label })));
  return {
    name: 'training-curves',
    title: 'Training curves: bound per run',
    caption: `Bound (NLL + KL, bits per ${unit}) on the training batches, one line per run. `
      + 'Runs with latents switched off are AR baselines: no KL, so their bound is their NLL.',
    section: 'training',
    spec: lineChart(points, {
      title: 'Bound on training batches', x: { title: 'training step', integer: true },
      y: { title: `bits per ${unit}` }, seriesTitle: 'run', seriesOrder: distinct(runs.map(
        (run) => run.label)),
    }),
  };
}

/** NLL, KL and bound against training step; null when no run logged metrics. */
export function trainingChart(all: RunRecord[]): Chart | null {
  const runs = all.filter((run) => run.kind === 'ltm' && run.metrics.length > 0);
  if (runs.length === 0) return null;
  if (runs.length > maxRunsWithAllMetrics) return manyRunsChart(runs);
  const several = runs.length > 1;
  const points = runs.flatMap((run) => metricPoints(run, ltmMetrics,
    several ? run.label : undefined));
  const pairNote = runs.some((run) => !run.latentsEnabled) ? ' The AR baseline has no '
    + 'latents, so its KL is 0 and its bound is its NLL.' : '';
  return {
    name: 'training-curves',
    title: 'Training curves',
    caption: `NLL, KL and their sum (the bound) in bits per ${unitOfRuns(runs)} on the `
      + 'training batches, '
      + 'logged every train.logEvery steps; held-out numbers are in the table. A latent '
      + 'model often sits on a plateau, then drops once the decoder starts reading the '
      + `latents, with KL rising while NLL falls.${pairNote}`,
    section: 'training',
    spec: lineChart(points, {
      title: 'NLL, KL and bound on training batches', x: { title: 'training step', integer: true },
      y: { title: `bits per ${unitOfRuns(runs)}`, zero: true }, seriesTitle: 'metric',
      seriesOrder: ltmMetrics.map(([, name]) => name),
      groupTitle: several ? 'model' : undefined,
    }),
  };
}

/** Loss terms of reasoner runs against training step; null when none logged metrics. */
export function reasonerTrainingChart(all: RunRecord[]): Chart | null {
  const runs = all.filter((run) => run.kind === 'reasoner' && run.metrics.length > 0);
  if (runs.length === 0) return null;
  const several = runs.length > 1;
  const points = runs.flatMap((run) => metricPoints(run, reasonerMetrics,
    several ? run.label : undefined));
  if (points.length === 0) return null;
  return {
    name: 'reasoner-training-curves',
    title: 'Reasoner training curves',
    caption: 'Loss, answer cross-entropy and KL of the last supervised round on the training '
      + 'batches. These use posterior rollouts; only prior rollouts (the scaling curves '
      + 'below) measure what the model does at inference.',
    section: 'reasoner',
    spec: lineChart(points, {
      title: 'Reasoner loss terms on training batches',
      x: { title: 'training step', integer: true }, y: { title: 'nats', zero: true },
      seriesTitle: 'metric',
      seriesOrder: reasonerMetrics.map(([, name]) => name),
      groupTitle: several ? 'run' : undefined,
    }),
  };
}

const scalingMetrics: [string, string][] = [
  ...ltmMetrics,
  ['suffixNllBitsPerByte', 'suffix NLL (z from prefix)'],
];

/** Held-out numbers against inner-loop steps at fixed weights; null without a scaling file. */
export function inferenceChart(all: RunRecord[]): Chart | null {
  const runs = all.filter((run) => run.innerStepsScaling !== null);
  if (runs.length === 0) return null;
  const single = runs.length === 1;
  const points: Point[] = runs.flatMap((run) => run.innerStepsScaling!.scaling.flatMap(
    (entry) => (single ? scalingMetrics : [scalingMetrics[2]])
      .filter(([field]) => typeof entry[field] === 'number')
      .map(([field, name]) => ({
        x: entry.innerSteps, y: entry[field] as number, series: single ? name : run.label,
      }))));
  const split = runs[0].innerStepsScaling!.split;
  return {
    name: 'inference-scaling',
    title: 'Inference-time scaling',
    caption: `The same trained weights scored on the ${split} split with each number of `
      + 'inner-loop steps (ltm eval --inner-steps ... --save). 0 steps scores the latents at '
      + 'the prior. More steps should lower the bound; the suffix NLL, with latents fitted '
      + 'on the prefix only, is the number comparable to an AR model.',
    section: 'inference',
    spec: lineChart(points, {
      title: single ? 'Held-out numbers vs inner steps' : 'Held-out bound vs inner steps',
      x: { title: 'inner-loop steps at evaluation', integer: true },
      y: { title: `bits per ${unitOfRuns(runs)}` },
      seriesTitle: single ? 'metric' : 'run',
      seriesOrder: single ? scalingMetrics.map(([, name]) => name)
        : distinct(runs.map((run) => run.label)),
    }),
  };
}
