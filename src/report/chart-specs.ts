// Building blocks of the report's Vega-Lite charts: a chart record and the line-chart specs
// that the training, sweep, inference and reasoner charts are made of.
import type { TopLevelSpec } from 'vega-lite';

/** Which part of the report a chart belongs to. */
export type ReportSection = 'training' | 'sweep' | 'inference' | 'reasoner' | 'analysis';

/** One chart of a report. */
export interface Chart {
  /** File stem: the chart is written to `<name>.svg` beside report.html. */
  name: string;
  title: string;
  /** How to read the chart; shown under it. */
  caption: string;
  section: ReportSection;
  spec: TopLevelSpec;
}

/** One plotted value. `series` picks the colour, `group` the dash pattern. */
export interface Point {
  x: number | string;
  y: number;
  series: string;
  group?: string;
}

export interface Axis {
  title: string;
  /** log: base-2 logarithmic (every x must be positive); ordinal: evenly spaced labels. */
  scale?: 'linear' | 'log' | 'ordinal';
  /** Fixed range, e.g. [0, 1] for rates. */
  domain?: [number, number];
  /** Include zero in the range (default: only when the data come close). */
  zero?: boolean;
  /** Whole-number ticks only (steps, rounds, counts). */
  integer?: boolean;
}

export interface LineChartOptions {
  title: string;
  x: Axis;
  y: Axis;
  /** Legend title of the colours, and their order (grid order rather than alphabetical). */
  seriesTitle: string;
  seriesOrder: string[];
  /** Legend title of the dash patterns, when `group` is set on the points. */
  groupTitle?: string;
  /** Horizontal reference lines, dashed, coloured by series. */
  rules?: { y: number; series: string }[];
}

const width = 560;
const height = 300;

function xEncoding(axis: Axis, points: Point[]) {
  if (axis.scale === 'ordinal') return { field: 'x', type: 'ordinal' as const, title: axis.title };
  if (axis.scale !== 'log') {
    return {
      field: 'x', type: 'quantitative' as const, title: axis.title, scale: { zero: false },
      ...(axis.integer ? { axis: { tickMinStep: 1, format: 'd' } } : {}),
    };
  }
  // Ticks at the values swept (1, 2, 4, 8...) rather than a log scale's default ticks.
  const ticks = [...new Set(points.map((point) => point.x as number))].sort((a, b) => a - b);
  return {
    field: 'x', type: 'quantitative' as const, title: axis.title,
    scale: { type: 'log' as const, base: 2 }, axis: { values: ticks },
  };
}

function yEncoding(axis: Axis) {
  const scale = axis.domain !== undefined ? { domain: axis.domain }
    : { zero: axis.zero ?? false };
  return { field: 'y', type: 'quantitative' as const, title: axis.title, scale };
}

/** Dash patterns by group, in first-seen order, with legend symbols that show the dash. */
function dashEncoding(points: Point[], title: string) {
  const groups = [...new Set(points.map((point) => point.group ?? ''))];
  return {
    field: 'group', type: 'nominal' as const, title, sort: groups, scale: { domain: groups },
    // The stroke colour is set by hand: the legend otherwise draws an uncoloured dash.
    legend: { symbolType: 'stroke', symbolSize: 500,
      encode: { symbols: { update: { stroke: { value: '#555' }, strokeWidth: { value: 2 } } } } },
  };
}

/** A line chart with one line (and dots) per series, optionally dashed by group. */
export function lineChart(points: Point[], options: LineChartOptions): TopLevelSpec {
  // Only series that appear, so the legend lists no empty entries.
  const present = new Set([...points, ...(options.rules ?? [])].map((point) => point.series));
  const order = options.seriesOrder.filter((series) => present.has(series));
  const color = {
    field: 'series', type: 'nominal' as const, title: options.seriesTitle,
    sort: order, scale: { domain: order },
  };
  const line = {
    mark: { type: 'line' as const, point: true, strokeWidth: 2 },
    encoding: {
      x: xEncoding(options.x, points), y: yEncoding(options.y), color,
      ...(options.groupTitle !== undefined
        ? { strokeDash: dashEncoding(points, options.groupTitle) } : {}),
    },
  };
  const layers: object[] = [line];
  if (options.rules !== undefined && options.rules.length > 0) {
    layers.push({
      data: { values: options.rules },
      mark: { type: 'rule', strokeDash: [5, 4], strokeWidth: 1.5 },
      encoding: { y: { field: 'y', type: 'quantitative' }, color },
    });
  }
  return {
    title: options.title,
    width, height,
    data: { values: points },
    layer: layers,
  } as TopLevelSpec;
}

/** Values in first-seen order without repeats. */
export function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}
