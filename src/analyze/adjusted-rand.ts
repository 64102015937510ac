// Agreement of two partitions of the same items, corrected for chance (Hubert and Arabie's
// adjusted Rand index): 1 for the same partition under any renaming, about 0 for unrelated.
import { DataError } from '../errors.js';

const pairsOf = (n: number) => (n * (n - 1)) / 2;

/** Adjusted Rand index of two labelings of the same items. */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new DataError(`adjustedRandIndex: ${a.length} and ${b.length} labels; label the same `
      + 'items on both sides');
  }
  const cells = new Map<string, number>();
  const rows = new Map<number, number>();
  const columns = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const key = `${a[i]}|${b[i]}`;
    cells.set(key, (cells.get(key) ?? 0) + 1);
    rows.set(a[i], (rows.get(a[i]) ?? 0) + 1);
    columns.set(b[i], (columns.get(b[i]) ?? 0) + 1);
  }
  const sum = (counts: Iterable<number>) => [...counts].reduce((t, n) => t + pairsOf(n), 0);
  const together = sum(cells.values());
  const rowPairs = sum(rows.values());
  const columnPairs = sum(columns.values());
  const expected = (rowPairs * columnPairs) / Math.max(1, pairsOf(a.length));
  const largest = (rowPairs + columnPairs) / 2;
  // Both partitions all singletons or both one block: they agree, and nothing is left to chance.
  if (largest === expected) return 1;
  return (together - expected) / (largest - expected);
}
