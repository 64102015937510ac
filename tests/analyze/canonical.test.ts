// The dependence estimator: pinned values of small tables, copies at the maximum, independent
// variables about zero after the baseline, and the laws it obeys for all inputs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dependence, type Variable } from '../../src/analyze/canonical.js';
import { DataError } from '../../src/errors.js';
import { createRng, normal } from '../../src/random.js';

const categorical = (codes: number[]): Variable => ({ kind: 'categorical',
  codes: Int32Array.from(codes) });
const vectors = (rows: number[][]): Variable => ({ kind: 'vector', dim: rows[0].length,
  values: Float64Array.from(rows.flat()) });

function randomCodes(count: number, categories: number, seed: string): number[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => rng.int(categories));
}

function randomRows(count: number, dim: number, seed: string): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => Array.from({ length: dim }, () => normal(rng)));
}

describe('dependence: known answers', () => {
  it('should equal phi squared, 0.25, for the 2x2 table [[30, 10], [10, 30]]', () => {
    const pairs = [[0, 0, 30], [0, 1, 10], [1, 0, 10], [1, 1, 30]]
      .flatMap(([a, b, n]) => Array.from({ length: n }, () => [a, b]));
    const result = dependence(categorical(pairs.map(([a]) => a)),
      categorical(pairs.map(([, b]) => b)), createRng(1));
    expect(result.raw).toBeCloseTo(0.25, 12);
    expect(result.ranks).toEqual([1, 1]);
  });

  it('should equal the squared correlation, 0.5, for y = x + an orthogonal pattern', () => {
    const x = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 1 : -1));
    const y = x.map((value, i) => value + (i % 4 < 2 ? 1 : -1));
    const result = dependence(vectors(x.map((v) => [v])), vectors(y.map((v) => [v])),
      createRng(1));
    expect(result.raw).toBeCloseTo(0.5, 12);
  });
});

describe('dependence: copies and independent variables', () => {
  it('should score 1 when a categorical variable is paired with a copy of itself', () => {
    const codes = randomCodes(500, 12, 'copy');
    const result = dependence(categorical(codes), categorical(codes), createRng(2));
    expect(result.raw).toBeCloseTo(1, 9);
    expect(result.value).toBeCloseTo(1, 9);
    expect(result.baseline).toBeGreaterThan(0);
  });

  it('should score 1 when vectors are paired with an invertible linear map of themselves', () => {
    const rows = randomRows(300, 4, 'vectors');
    const mapped = rows.map(([a, b, c, d]) => [a + 2 * b, b - c, 3 * c + d, d - a]);
    expect(dependence(vectors(rows), vectors(mapped), createRng(3)).value).toBeCloseTo(1, 9);
  });

  it('should score 1 when codes are paired with vectors that name their category', () => {
    const codes = randomCodes(400, 5, 'named');
    const named = codes.map((code) => [code === 0 ? 1 : 0, code === 1 ? 1 : 0, code === 2 ? 1 : 0,
      code === 3 ? 1 : 0]);
    expect(dependence(categorical(codes), vectors(named), createRng(4)).value).toBeCloseTo(1, 9);
  });

  it('should score about 0 after the baseline when categorical variables are independent', () => {
    const result = dependence(categorical(randomCodes(4000, 8, 'a')),
      categorical(randomCodes(4000, 8, 'b')), createRng(5), 8);
    expect(result.raw).toBeGreaterThan(0.001);
    expect(Math.abs(result.value)).toBeLessThan(0.003);
    expect(Math.abs(result.value)).toBeLessThan(result.raw / 2);
  });

  it('should score about 0 after the baseline when vectors are independent', () => {
    const result = dependence(vectors(randomRows(2000, 6, 'x')), vectors(randomRows(2000, 6, 'y')),
      createRng(6), 8);
    expect(Math.abs(result.value)).toBeLessThan(0.003);
  });

  it('should score 0 when one side never varies', () => {
    const result = dependence(categorical(Array(50).fill(3)), categorical(randomCodes(50, 4, 'c')),
      createRng(7));
    expect(result).toMatchObject({ raw: 0, value: 0, ranks: [0, 3] });
  });

  it('should throw a DataError naming both counts when the sides differ in length', () => {
    expect(() => dependence(categorical([1, 2, 3, 1]), categorical([1, 2, 3]), createRng(1)))
      .toThrow(DataError);
    expect(() => dependence(categorical([1, 2, 3, 1]), categorical([1, 2, 3]), createRng(1)))
      .toThrow('4 and 3 observations');
  });
});

describe('dependence: laws', () => {
  const codeLists = fc.integer({ min: 8, max: 60 }).chain((count) => fc.tuple(
    fc.array(fc.integer({ min: 0, max: 5 }), { minLength: count, maxLength: count }),
    fc.array(fc.integer({ min: 0, max: 5 }), { minLength: count, maxLength: count })));

  it('should keep raw in [0, 1] and value at most 1 for any pair of code lists', () => {
    fc.assert(fc.property(codeLists, ([a, b]) => {
      const result = dependence(categorical(a), categorical(b), createRng(1));
      expect(result.raw).toBeGreaterThanOrEqual(0);
      expect(result.raw).toBeLessThanOrEqual(1 + 1e-9);
      expect(result.value).toBeLessThanOrEqual(1 + 1e-9);
    }), { numRuns: 80 });
  });

  it('should give the same raw score when the two sides swap', () => {
    fc.assert(fc.property(codeLists, ([a, b]) => {
      const forward = dependence(categorical(a), categorical(b), createRng(1)).raw;
      const backward = dependence(categorical(b), categorical(a), createRng(1)).raw;
      expect(forward).toBeCloseTo(backward, 9);
    }), { numRuns: 80 });
  });

  it('should not change when categories are renamed', () => {
    fc.assert(fc.property(codeLists, ([a, b]) => {
      const renamed = a.map((code) => 17 - 3 * code);
      expect(dependence(categorical(renamed), categorical(b), createRng(1)).raw)
        .toBeCloseTo(dependence(categorical(a), categorical(b), createRng(1)).raw, 9);
    }), { numRuns: 50 });
  });
});
