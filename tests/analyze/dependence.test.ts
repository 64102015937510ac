// Dependence of tokens, latent slots and true hierarchy symbols on cases with known answers:
// copies and functions score 1, independent parts about 0.
import { describe, expect, it } from 'vitest';
import { latentDependence, tokenDependence, tokenPairs } from '../../src/analyze/dependence.js';
import { hierarchyDependence, treeLevels } from '../../src/analyze/hierarchy-dependence.js';
import type { PosteriorMeans } from '../../src/analyze/posterior-means.js';
import { doublingDistances } from '../../src/analyze/run-dependence.js';
import { resolveConfig } from '../../src/config/index.js';
import type { HeldOutSet } from '../../src/data/index.js';
import { createHierarchyCorpus } from '../../src/data/hierarchyCorpus.js';
import { createRng, normal } from '../../src/random.js';

/** Rows of `length` tokens made by `next(previous, rng)` from a random first token. */
function chainSet(rows: number, length: number,
  next: (previous: number, rng: ReturnType<typeof createRng>) => number): HeldOutSet {
  const rng = createRng('chain');
  const tokens = new Int32Array(rows * length);
  for (let row = 0; row < rows; row++) {
    tokens[row * length] = rng.int(6);
    for (let t = 1; t < length; t++) {
      tokens[row * length + t] = next(tokens[row * length + t - 1], rng);
    }
  }
  return { tokens, count: rows, length, bytes: rows * (length - 1) };
}

function hierarchy(data: object) {
  const config = resolveConfig({ data: { kind: 'hierarchy', heldOutSequences: 3000, ...data },
    model: { sequenceLength: 8, window: 2 } });
  const corpus = createHierarchyCorpus(config.data, 8);
  return { corpus, set: corpus.heldOut('valid', 3000, 9) };
}

describe('tokenPairs and tokenDependence', () => {
  it('should pair scored positions t and t + d of every row', () => {
    const set: HeldOutSet = { tokens: Int32Array.of(0, 1, 2, 3, 0, 4, 5, 6), count: 2, length: 4,
      bytes: 6 };
    const [left, right] = tokenPairs(set, 2);
    expect(left).toEqual({ kind: 'categorical', codes: Int32Array.of(1, 4) });
    expect(right).toEqual({ kind: 'categorical', codes: Int32Array.of(3, 6) });
  });

  it('should score 1 at distance 1 when each token is a fixed permutation of the last', () => {
    const set = chainSet(300, 9, (previous) => (previous * 5 + 1) % 6);
    const [first] = tokenDependence(set, [1], createRng(1), 4);
    expect(first.value).toBeCloseTo(1, 9);
  });

  it('should score about 0 at every distance when tokens are drawn independently', () => {
    const set = chainSet(600, 17, (_, rng) => rng.int(6));
    for (const entry of tokenDependence(set, [1, 2, 4, 8], createRng(2), 8)) {
      expect(Math.abs(entry.value)).toBeLessThan(0.01);
    }
  });

  it('should skip distances that do not fit in the scored part of a row', () => {
    const set = chainSet(20, 5, (_, rng) => rng.int(6));
    expect(tokenDependence(set, [1, 2, 4], createRng(1), 1).map((e) => e.distance)).toEqual([1, 2]);
    expect(doublingDistances(8)).toEqual([1, 2, 4]);
  });
});

describe('latentDependence', () => {
  function means(count: number, fill: (row: number, layer: number, slot: number) => number[]) {
    const values = new Float64Array(count * 2 * 2 * 3);
    for (let row = 0; row < count; row++) {
      for (let layer = 0; layer < 2; layer++) {
        for (let slot = 0; slot < 2; slot++) {
          values.set(fill(row, layer, slot), ((row * 2 + layer) * 2 + slot) * 3);
        }
      }
    }
    const result: PosteriorMeans = { values, count, layers: 2, perLayer: 2, dim: 3 };
    return result;
  }

  it('should score 1 within a layer when its second slot copies the first', () => {
    const rng = createRng('copy');
    const rows = Array.from({ length: 400 }, () => Array.from({ length: 12 }, () => normal(rng)));
    const copied = means(400, (row, layer, slot) => rows[row].slice(layer * 6, layer * 6 + 3)
      .map((x) => (slot === 0 ? x : 2 * x + 1)));
    const report = latentDependence(copied, createRng(1), 4);
    expect(report.latentSameLevel).toBeCloseTo(1, 9);
    expect(Math.abs(report.latentCrossLevel!)).toBeLessThan(0.1);
  });

  it('should score about 0 within and across layers when every slot is independent', () => {
    const rng = createRng('independent');
    const report = latentDependence(means(2000, () => [normal(rng), normal(rng), normal(rng)]),
      createRng(2), 8);
    expect(Math.abs(report.latentSameLevel!)).toBeLessThan(0.01);
    expect(Math.abs(report.latentCrossLevel!)).toBeLessThan(0.01);
  });
});

describe('hierarchyDependence', () => {
  it('should find the true tokens of every tree in the windows', () => {
    const { corpus, set } = hierarchy({ depth: 3, vocab: 6, rules: 2 });
    const levels = treeLevels(set, corpus.grammar);
    expect(levels.map((level) => level.length)).toEqual([24000, 12000, 6000, 3000]);
    expect(levels[0].subarray(0, 8)).toEqual(set.tokens.subarray(1, 9));
  });

  it('should score parent and child 1 when every symbol has a single rule', () => {
    const { corpus, set } = hierarchy({ depth: 3, vocab: 6, rules: 1 });
    const result = hierarchyDependence(set, corpus.grammar, createRng(1), 4, null);
    for (const entry of result.parentChild) expect(entry.value).toBeCloseTo(1, 9);
  });

  it('should score siblings about 0 when the rules use every tuple of children', () => {
    // vocab^(branching - 1) rules per symbol: every pair of children occurs, all as likely.
    const { corpus, set } = hierarchy({ depth: 3, vocab: 4, rules: 4 });
    const result = hierarchyDependence(set, corpus.grammar, createRng(2), 8, null);
    for (const entry of result.sameLevel) expect(Math.abs(entry.value)).toBeLessThan(0.01);
    expect(result.latentsVersusLevel).toEqual([]);
  });
});
