// The one dependence estimator of the analyses: the mean squared canonical correlation
// between two variables, adjusted for chance by a shuffled-pair baseline. Categorical
// variables enter as one-hot codes, so for two of them it is Cramér's V squared; for vectors it
// is Pillai's trace over the smaller rank. Copies score 1, independent variables about 0.
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { DataError } from '../errors.js';
import type { Rng } from '../random.js';

/** N paired observations of one side: category codes, or vectors of `dim` numbers. */
export type Variable =
  | { kind: 'categorical'; codes: Int32Array }
  | { kind: 'vector'; values: Float64Array; dim: number };

/** A dependence score with its parts. */
export interface Dependence {
  /** Mean squared canonical correlation of the observed pairs, in [0, 1]. */
  raw: number;
  /** Its mean over pairs shuffled apart (what independence scores at this sample size). */
  baseline: number;
  /** (raw - baseline) / (1 - baseline): 1 for copies, about 0 for independent variables. */
  value: number;
  /** Ranks of the two sides' covariances (categories - 1 for one-hot codes). */
  ranks: [number, number];
  pairs: number;
}

/** Eigenvalues below this share of the largest count as zero (a rank-deficient side). */
const rankTolerance = 1e-9;

export function observations(variable: Variable): number {
  return variable.kind === 'categorical' ? variable.codes.length
    : variable.values.length / variable.dim;
}

/** Codes renumbered 0..c-1 in order of first appearance, and c. */
function denseCodes(codes: Int32Array): { codes: Int32Array; categories: number } {
  const index = new Map<number, number>();
  const dense = codes.map((code) => {
    if (!index.has(code)) index.set(code, index.size);
    return index.get(code)!;
  });
  return { codes: dense, categories: index.size };
}

/** A variable prepared for moments: dense codes, or centred vectors. */
type Prepared =
  | { kind: 'categorical'; codes: Int32Array; width: number; shares: Float64Array }
  | { kind: 'vector'; values: Float64Array; width: number };

function prepare(variable: Variable): Prepared {
  if (variable.kind === 'categorical') {
    const { codes, categories } = denseCodes(variable.codes);
    const shares = new Float64Array(categories);
    codes.forEach((code) => { shares[code] += 1 / codes.length; });
    return { kind: 'categorical', codes, width: categories, shares };
  }
  const { values, dim } = variable;
  const rows = values.length / dim;
  const mean = new Float64Array(dim);
  values.forEach((value, index) => { mean[index % dim] += value / rows; });
  return { kind: 'vector', values: values.map((value, index) => value - mean[index % dim]),
    width: dim };
}

/** Row `row` of a prepared variable, applied as `visit(column, value)` (non-zero entries). */
function eachEntry(side: Prepared, row: number, visit: (column: number, value: number) => void) {
  if (side.kind === 'categorical') {
    visit(side.codes[row], 1);
    return;
  }
  for (let column = 0; column < side.width; column++) {
    visit(column, side.values[row * side.width + column]);
  }
}

/** Mean of a side's uncentred entry of each column: category shares, or 0 when centred. */
function columnMeans(side: Prepared): Float64Array {
  return side.kind === 'categorical' ? side.shares : new Float64Array(side.width);
}

/** Cross-covariance of rows `order[i]` of b against rows i of a. [width a, width b] */
function crossCovariance(a: Prepared, b: Prepared, order: Int32Array | null): Matrix {
  const rows = order?.length ?? (a.kind === 'categorical' ? a.codes.length
    : a.values.length / a.width);
  const sums = new Matrix(a.width, b.width);
  for (let row = 0; row < rows; row++) {
    const other = order === null ? row : order[row];
    eachEntry(a, row, (i, x) => eachEntry(b, other, (j, y) => {
      sums.set(i, j, sums.get(i, j) + x * y);
    }));
  }
  const meanA = columnMeans(a);
  const meanB = columnMeans(b);
  for (let i = 0; i < a.width; i++) {
    for (let j = 0; j < b.width; j++) sums.set(i, j, sums.get(i, j) / rows - meanA[i] * meanB[j]);
  }
  return sums;
}

/** W with W^T C W = I on the range of C: eigenvectors scaled by 1 / sqrt(eigenvalue). */
function whitener(covariance: Matrix): Matrix {
  const decomposition = new EigenvalueDecomposition(covariance, { assumeSymmetric: true });
  const values = decomposition.realEigenvalues;
  const largest = Math.max(0, ...values);
  const kept = values.map((value, index) => ({ value, index }))
    .filter(({ value }) => largest > 0 && value > rankTolerance * largest);
  const vectors = decomposition.eigenvectorMatrix;
  const result = new Matrix(covariance.rows, kept.length);
  kept.forEach(({ value, index }, column) => {
    for (let row = 0; row < covariance.rows; row++) {
      result.set(row, column, vectors.get(row, index) / Math.sqrt(value));
    }
  });
  return result;
}

/** Squared Frobenius norm of W_a^T C_ab W_b over the smaller rank. */
function meanSquaredCanonical(wa: Matrix, cross: Matrix, wb: Matrix): number {
  const whitened = wa.transpose().mmul(cross).mmul(wb);
  const norm = whitened.norm('frobenius');
  return Math.min(1, (norm * norm) / Math.min(wa.columns, wb.columns));
}

function permutation(rows: number, rng: Rng): Int32Array {
  const order = Int32Array.from({ length: rows }, (_, index) => index);
  for (let i = rows - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/**
 * The chance-adjusted dependence of `a` and `b` (N pairs, row i of each observed together).
 * The baseline averages `shuffles` random re-pairings drawn from `rng`. A side with no
 * variance scores 0.
 */
export function dependence(a: Variable, b: Variable, rng: Rng, shuffles = 4): Dependence {
  const pairs = observations(a);
  if (observations(b) !== pairs || pairs < 3) {
    throw new DataError(`dependence: ${pairs} and ${observations(b)} observations; both sides `
      + 'need the same number of pairs, at least 3');
  }
  const left = prepare(a);
  const right = prepare(b);
  const wa = whitener(crossCovariance(left, left, null));
  const wb = whitener(crossCovariance(right, right, null));
  const ranks: [number, number] = [wa.columns, wb.columns];
  if (wa.columns === 0 || wb.columns === 0) return { raw: 0, baseline: 0, value: 0, ranks, pairs };

  const raw = meanSquaredCanonical(wa, crossCovariance(left, right, null), wb);
  let baseline = 0;
  for (let draw = 0; draw < shuffles; draw++) {
    const order = permutation(pairs, rng);
    baseline += meanSquaredCanonical(wa, crossCovariance(left, right, order), wb) / shuffles;
  }
  const value = baseline >= 1 ? 0 : (raw - baseline) / (1 - baseline);
  return { raw, baseline, value, ranks, pairs };
}
