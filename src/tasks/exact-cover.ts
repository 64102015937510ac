// Exact enumeration for every family: a thin layer over the dancing-links solver that speaks
// in row indices, streams covers lazily, and caps how many it collects.
import { DancingLinks } from 'dancing-links';

/** One candidate choice: the columns it fills. */
export interface CoverRow {
  /** Columns that every cover must fill exactly once. */
  primary: number[];
  /** Columns that a cover may leave empty but never fill twice. */
  secondary: number[];
}

/** An exact-cover problem: pick rows so each primary column is hit once, secondary at most once. */
export interface CoverProblem {
  primaryColumns: number;
  secondaryColumns: number;
  rows: CoverRow[];
}

/** Every cover of the problem, one at a time, each as the indices of its chosen rows. */
export function* exactCovers(problem: CoverProblem): Generator<number[], void, undefined> {
  const solver = new DancingLinks<number>().createSolver({
    primaryColumns: problem.primaryColumns,
    secondaryColumns: problem.secondaryColumns,
  });
  problem.rows.forEach((row, index) => solver.addSparseConstraint(index, row));
  for (const cover of solver.createGenerator()) {
    yield cover.map((choice) => choice.data);
  }
}

/** The items of a stream up to `max`, and whether the stream ended before that cap. */
export interface Capped<T> {
  items: T[];
  complete: boolean;
}

/** The first `max` items of a stream, reading one item past the cap to see whether it ends. */
export function takeFirst<T>(stream: Iterable<T>, max: number): Capped<T> {
  const items: T[] = [];
  for (const item of stream) {
    if (items.length === max) return { items, complete: false };
    items.push(item);
  }
  return { items, complete: true };
}

/**
 * The first `max` distinct items of a stream by `key`, reading one item past the cap to tell
 * whether the stream held more.
 */
export function takeDistinct<T>(
  stream: Iterable<T>,
  max: number,
  key: (item: T) => string,
): Capped<T> {
  const seen = new Set<string>();
  const items: T[] = [];
  for (const item of stream) {
    const itemKey = key(item);
    if (seen.has(itemKey)) continue;
    if (items.length === max) return { items, complete: false };
    seen.add(itemKey);
    items.push(item);
  }
  return { items, complete: true };
}
