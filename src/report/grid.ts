// The grid of a parameter sweep: config fields with the values to try, expanded into cells
// (their cartesian product), every cell's config checked before anything trains.
import { applyOverrides, schemaAt, validateConfig, type Config } from '../config/index.js';
import { ConfigError } from '../errors.js';

/** One axis of a sweep: a config field and the values it takes, in order. */
export interface GridAxis {
  /** Dotted config path, e.g. `latents.perLayer`. */
  path: string;
  values: unknown[];
}

/** One point of the grid. */
export interface SweepCell {
  /** Folder name under `cells/`, e.g. `latents.perLayer=2+vi.innerSteps=4`. */
  name: string;
  /** `path=value` overrides applied to the sweep's base config. */
  overrides: string[];
  /** The value of each grid path in this cell. */
  values: Record<string, unknown>;
}

/** A value as written on the command line: JSON where it parses, else the plain string. */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function checkAxisPath(path: string, source: string): void {
  const node = schemaAt(path);
  if (node === undefined || path === '') {
    throw new ConfigError(`${source}: '${path}' is not a config field; see the config `
      + 'reference in the README');
  }
  if (node.properties !== undefined) {
    throw new ConfigError(`${source}: '${path}' is a group of fields; name one of them, `
      + `e.g. ${path}.${Object.keys(node.properties)[0]}`);
  }
}

/** Parses `--grid path=v1,v2,...`; values split on commas, each read as JSON if it can be. */
export function parseGridAxis(text: string): GridAxis {
  const equals = text.indexOf('=');
  const source = `--grid ${text}`;
  if (equals <= 0 || equals === text.length - 1) {
    throw new ConfigError(`${source}: expected path=v1,v2,..., e.g. latents.perLayer=1,2,4,8`);
  }
  const path = text.slice(0, equals).trim();
  checkAxisPath(path, source);
  const values = text.slice(equals + 1).split(',').map((part) => parseValue(part.trim()));
  return { path, values };
}

/** Refuses an empty grid, a path named twice, and a value listed twice on one axis. */
export function checkGrid(grid: readonly GridAxis[]): void {
  if (grid.length === 0) {
    throw new ConfigError('sweep: the grid is empty; pass at least one --grid path=v1,v2');
  }
  const seen = new Set<string>();
  for (const axis of grid) {
    checkAxisPath(axis.path, `grid axis ${axis.path}`);
    if (seen.has(axis.path)) {
      throw new ConfigError(`grid axis ${axis.path}: named twice; merge its values into one`);
    }
    seen.add(axis.path);
    if (axis.values.length === 0) {
      throw new ConfigError(`grid axis ${axis.path}: no values; list at least one`);
    }
    const texts = axis.values.map((value) => JSON.stringify(value));
    const repeated = texts.find((text, index) => texts.indexOf(text) !== index);
    if (repeated !== undefined) {
      throw new ConfigError(`grid axis ${axis.path}: value ${repeated} is listed twice`);
    }
  }
}

function cellName(values: Record<string, unknown>): string {
  return Object.entries(values)
    .map(([path, value]) => `${path}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('+')
    .replace(/[^A-Za-z0-9._=+-]/g, '_');
}

/** Every cell of the grid; the first axis varies slowest. */
export function expandGrid(grid: readonly GridAxis[]): SweepCell[] {
  checkGrid(grid);
  let points: Record<string, unknown>[] = [{}];
  for (const axis of grid) {
    points = points.flatMap((point) => axis.values.map((value) => ({
      ...point, [axis.path]: value,
    })));
  }
  const cells = points.map((values) => ({
    name: cellName(values),
    overrides: Object.entries(values).map(([path, value]) => `${path}=${JSON.stringify(value)}`),
    values,
  }));
  const names = cells.map((cell) => cell.name);
  const clash = names.find((name, index) => names.indexOf(name) !== index);
  if (clash !== undefined) {
    throw new ConfigError(`sweep: two cells would share the folder name ${clash}; use values `
      + 'that differ in letters, digits, dots or dashes');
  }
  return cells;
}

/**
 * The config of every cell, each validated against the schema. Throws one ConfigError that
 * names each bad cell and field, so a sweep fails before it trains or writes anything.
 */
export function cellConfigs(base: Config, cells: readonly SweepCell[]): Config[] {
  const configs: Config[] = [];
  const problems: string[] = [];
  const messages: string[] = [];
  for (const cell of cells) {
    try {
      configs.push(validateConfig(applyOverrides(base, cell.overrides), `sweep cell ${cell.name}`));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      messages.push(error.message);
      const own = error.problems.length > 0 ? error.problems : [error.message];
      problems.push(...own.map((problem) => `cell ${cell.name}: ${problem}`));
    }
  }
  if (problems.length > 0) throw new ConfigError(messages.join('\n'), problems);
  return configs;
}
