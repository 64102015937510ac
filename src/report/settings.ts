// The settings table at the top of a report: the config fields that tell runs apart, read
// from the raw config.json so that any kind of run (and any schema version) can be shown.
import type { ReportSource, RunRecord } from './folder.js';
import type { Table } from './html.js';
import { formatNumber } from './tables.js';

const ltmPaths = [
  'data.kind', 'model.layers', 'model.width', 'model.heads', 'model.sequenceLength',
  'model.window', 'latents.enabled', 'latents.perLayer', 'latents.dim', 'vi.innerSteps',
  'vi.innerLr', 'vi.optimizer', 'vi.klWarmupSteps', 'train.steps', 'train.batchSize', 'train.lr',
  'train.seed',
];

const reasonerGroups = ['puzzles', 'reasoner'];
const reasonerTrainPaths = ['train.steps', 'train.batchSize', 'train.lr', 'train.seed'];

/** The value at a dotted path of a plain object, or undefined. */
export function valueAt(object: unknown, dotted: string): unknown {
  let node = object;
  for (const key of dotted.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Dotted paths of every leaf under `prefix`. */
function leaves(object: unknown, prefix: string): string[] {
  const node = valueAt(object, prefix);
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    return node === undefined ? [] : [prefix];
  }
  return Object.keys(node).flatMap((key) => leaves(object, `${prefix}.${key}`));
}

function pathsFor(runs: RunRecord[]): string[] {
  if (runs.every((run) => run.kind === 'ltm')) return ltmPaths;
  const grouped = runs.flatMap((run) => reasonerGroups.flatMap((group) =>
    leaves(run.config, group)));
  return [...new Set([...grouped, ...reasonerTrainPaths])];
}

/** Key settings, one column per run (for a sweep: the base config and the grid). */
export function settingsTable(source: ReportSource): Table {
  if (source.kind === 'sweep') {
    const { base, grid } = source.plan;
    const swept = new Map(grid.map((axis) => [axis.path, axis.values]));
    const paths = [...new Set([...ltmPaths, ...swept.keys()])];
    return {
      caption: 'Base config of every cell; swept fields list their values',
      header: ['field', 'value'],
      rows: paths.map((path) => [path, swept.has(path)
        ? `swept: ${swept.get(path)!.map(formatNumber).join(', ')}`
        : formatNumber(valueAt(base, path))]),
    };
  }
  const runs = source.kind === 'run' ? [source.run] : source.runs;
  return {
    caption: 'Key settings (config.json)',
    header: ['field', ...runs.map((run) => run.label)],
    rows: pathsFor(runs).map((path) => [path,
      ...runs.map((run) => formatNumber(valueAt(run.config, path)))]),
  };
}
