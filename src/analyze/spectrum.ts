// The spectrum of a corpus's token co-occurrence: positive pointwise mutual information of
// tokens seen within a few positions of each other, its leading eigenvectors, and the split
// of the vocabulary that each eigenvector's signs make.
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { HeldOutSet } from '../data/index.js';
import { DataError } from '../errors.js';

/** Co-occurrence counts of the tokens kept, symmetric. */
export interface Cooccurrence {
  /** Token ids of the rows and columns, ascending. */
  tokens: number[];
  /** [tokens, tokens] counts of pairs within the window, both orders. */
  counts: Matrix;
}

/** One leading eigenvector and the split of the vocabulary its signs make. */
export interface EigenSplit {
  index: number;
  eigenvalue: number;
  /** The component of each kept token, in `tokens` order. */
  vector: number[];
  /** 1 where the component is positive, 0 elsewhere, in `tokens` order. */
  side: number[];
  /** False when every token lies on one side (a split that splits nothing). */
  splits: boolean;
}

/**
 * Counts pairs of scored tokens (positions 1..length-1 of each row) at distances 1..window,
 * counting both orders. Tokens in `exclude` (e.g. a separator) and tokens seen fewer than
 * `minCount` times are left out.
 */
export function cooccurrence(set: HeldOutSet, window: number, exclude: ReadonlySet<number>,
  minCount = 1): Cooccurrence {
  const frequency = new Map<number, number>();
  for (let row = 0; row < set.count; row++) {
    for (let t = 1; t < set.length; t++) {
      const token = set.tokens[row * set.length + t];
      frequency.set(token, (frequency.get(token) ?? 0) + 1);
    }
  }
  const tokens = [...frequency].filter(([token, n]) => n >= minCount && !exclude.has(token))
    .map(([token]) => token).sort((a, b) => a - b);
  const index = new Map(tokens.map((token, i) => [token, i]));
  const counts = new Matrix(tokens.length, tokens.length);
  for (let row = 0; row < set.count; row++) {
    const base = row * set.length;
    for (let t = 1; t < set.length; t++) {
      const a = index.get(set.tokens[base + t]);
      for (let d = 1; d <= window && t + d < set.length && a !== undefined; d++) {
        const b = index.get(set.tokens[base + t + d]);
        if (b === undefined) continue;
        counts.set(a, b, counts.get(a, b) + 1);
        counts.set(b, a, counts.get(b, a) + 1);
      }
    }
  }
  return { tokens, counts };
}

/** max(0, log(n_ab N / (n_a n_b))) of a symmetric count matrix; 0 where a count is 0. */
export function positivePmi(counts: Matrix): Matrix {
  const size = counts.rows;
  const rowSums = Array.from({ length: size }, (_, i) => counts.getRow(i)
    .reduce((a, b) => a + b, 0));
  const total = rowSums.reduce((a, b) => a + b, 0);
  const result = new Matrix(size, size);
  for (let a = 0; a < size; a++) {
    for (let b = 0; b < size; b++) {
      const n = counts.get(a, b);
      if (n > 0) result.set(a, b, Math.max(0, Math.log((n * total) / (rowSums[a] * rowSums[b]))));
    }
  }
  return result;
}

/** The `count` eigenvectors of a symmetric matrix with the largest eigenvalues, largest first. */
export function leadingSplits(matrix: Matrix, count: number): EigenSplit[] {
  if (matrix.rows < 2) {
    throw new DataError(`spectrum: ${matrix.rows} distinct token(s) kept; a split needs at least `
      + '2, so use more text or a lower minimum count');
  }
  const decomposition = new EigenvalueDecomposition(matrix, { assumeSymmetric: true });
  const order = decomposition.realEigenvalues.map((value, index) => ({ value, index }))
    .sort((a, b) => b.value - a.value).slice(0, count);
  return order.map(({ value, index }, rank) => {
    const raw = decomposition.eigenvectorMatrix.getColumn(index);
    // An eigenvector's sign is arbitrary: fix it so the largest component is positive.
    const largest = raw.reduce((best, x) => (Math.abs(x) > Math.abs(best) ? x : best), 0);
    const vector = raw.map((x) => (largest < 0 ? -x : x));
    const side = vector.map((x): number => (x > 1e-12 ? 1 : 0));
    const positives = side.reduce((a, b) => a + b, 0);
    return { index: rank, eigenvalue: value, vector, side,
      splits: positives > 0 && positives < side.length };
  });
}

/** Cells of the sign patterns of several splits: item i gets the bits of its sides. */
export function signPattern(splits: readonly EigenSplit[]): number[] {
  const size = splits[0]?.side.length ?? 0;
  return Array.from({ length: size },
    (_, item) => splits.reduce((code, split, bit) => code + (split.side[item] << bit), 0));
}
