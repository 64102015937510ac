// Charts of a sweep: held-out bound, suffix NLL and decoder parameters against latent size
// (or the first grid axis), one line per setting of the remaining axes.
import { scoreUnit } from '../data/index.js';
import { distinct, lineChart, type Axis, type Chart, type Point } from './chart-specs.js';
import type { SweepPlan, SweepResult } from './sweep-folder.js';

/** Grid fields that change the latent size; when one is swept it becomes the x axis. */
const latentSizePaths = ['latents.perLayer', 'latents.dim', 'latents.enabled', 'model.layers'];

interface SweepLayout {
  x: (result: SweepResult) => number | string;
  xTitle: string;
  /** What the x axis is, for chart titles: 'latent size' or a grid path. */
  xName: string;
  /** Grid paths whose values name a line. */
  seriesPaths: string[];
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function layoutOf(plan: SweepPlan): SweepLayout {
  const paths = plan.grid.map((axis) => axis.path);
  if (paths.some((path) => latentSizePaths.includes(path))) {
    return {
      x: (result) => result.latentFloatsPerSequence,
      xTitle: 'latent floats per sequence (L × K × latent dim)',
      xName: 'latent size',
      seriesPaths: paths.filter((path) => !latentSizePaths.includes(path)),
    };
  }
  const [first, ...rest] = paths;
  return {
    x: (result) => {
      const value = result.values[first];
      return typeof value === 'number' ? value : show(value);
    },
    xTitle: first,
    xName: first,
    seriesPaths: rest,
  };
}

/** The name of a result's line: the values of the grid axes that are not on the x axis. */
export function seriesLabel(result: SweepResult, paths: readonly string[]): string {
  if (!result.latentsEnabled) return 'AR baseline';
  if (paths.length === 0) return 'all cells';
  return paths.map((path) => `${path}=${show(result.values[path])}`).join(', ');
}

function xAxis(title: string, xs: (number | string)[]): Axis {
  if (xs.some((x) => typeof x !== 'number')) return { title, scale: 'ordinal' };
  const positive = xs.every((x) => (x as number) > 0);
  return { title, scale: positive && new Set(xs).size > 2 ? 'log' : 'linear',
    integer: xs.every((x) => Number.isInteger(x)) };
}

function sweepChart(plan: SweepPlan, results: SweepResult[], field: keyof SweepResult,
  text: { name: string; title: string; y: string; caption: string; zero?: boolean }): Chart {
  const layout = layoutOf(plan);
  const finished = results.filter((result) => typeof result[field] === 'number');
  const points: Point[] = finished.map((result) => ({
    x: layout.x(result), y: result[field] as number,
    series: seriesLabel(result, layout.seriesPaths),
  }));
  const seriesTitle = layout.seriesPaths.length > 0 ? layout.seriesPaths.join(', ') : 'cells';
  return {
    name: text.name, title: text.title, caption: text.caption, section: 'sweep',
    spec: lineChart(points, {
      title: text.title, x: xAxis(layout.xTitle, points.map((point) => point.x)),
      y: { title: text.y, zero: text.zero }, seriesTitle,
      seriesOrder: distinct(finished.map((result) => seriesLabel(result, layout.seriesPaths))),
    }),
  };
}

/** The sweep's charts; empty when no cell has finished. */
export function sweepCharts(plan: SweepPlan, results: SweepResult[]): Chart[] {
  if (results.every((result) => result.boundBitsPerByte === null)) return [];
  const unit = scoreUnit(plan.base.data.kind);
  const versus = layoutOf(plan).xName;
  const zeroNote = plan.grid.some((axis) => axis.path === 'vi.innerSteps')
    ? ' vi.innerSteps=0 is a latent model scored with its latents at the prior, not the AR '
      + 'baseline (that is latents.enabled=false).' : '';
  return [
    sweepChart(plan, results, 'boundBitsPerByte', {
      name: 'sweep-bound', title: `Held-out bound vs ${versus}`, y: `bound, bits per ${unit}`,
      caption: 'NLL + KL on the validation split after training, lower is better. Expected: '
        + 'more latents help only when the inner loop runs long enough; with few inner '
        + `steps more latents raise the KL and so the bound.${zeroNote}`,
    }),
    sweepChart(plan, results, 'suffixNllBitsPerByte', {
      name: 'sweep-suffix-nll', title: `Held-out suffix NLL vs ${versus}`,
      y: `suffix NLL, bits per ${unit}`,
      caption: 'NLL of the second half of each validation sequence with the latents fitted on '
        + 'the first half only: the number directly comparable to an AR model.',
    }),
    sweepChart(plan, results, 'decoderParameters', {
      name: 'sweep-parameters', title: `Decoder parameters vs ${versus}`,
      y: 'decoder parameters', zero: true,
      caption: 'Weights of the decoder in each cell. More latent vectors per layer '
        + '(latents.perLayer) add no weights, so over that axis the line is flat: latent '
        + 'size buys inference-time state, not parameters (latents.dim and model.layers do '
        + 'change the count).',
    }),
  ];
}
