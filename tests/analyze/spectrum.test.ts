// The co-occurrence spectrum and the adjusted Rand index: pinned small cases, blocks of a
// block-structured matrix recovered by the leading splits, coarse blocks before fine ones.
import fc from 'fast-check';
import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../src/analyze/adjusted-rand.js';
import {
  cooccurrence, leadingSplits, positivePmi, signPattern,
} from '../../src/analyze/spectrum.js';
import type { HeldOutSet } from '../../src/data/index.js';
import { DataError } from '../../src/errors.js';

/** Counts `inside` within a block, `across` between blocks; blocks given per token. */
function blockCounts(blocks: number[], inside: (a: number, b: number) => number): Matrix {
  return Matrix.from1DArray(blocks.length, blocks.length,
    blocks.flatMap((_, a) => blocks.map((__, b) => inside(a, b))));
}

describe('adjustedRandIndex', () => {
  it('should be 4/7 for [0,0,1,1] against [0,0,1,2]', () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(4 / 7, 12);
  });

  it('should be 1 for the same partition under any renaming', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 2,
      maxLength: 40 }), (labels) => {
      expect(adjustedRandIndex(labels, labels.map((label) => 10 - label))).toBeCloseTo(1, 12);
    }));
  });

  it('should be about 0 for unrelated random partitions of many items', () => {
    const a = Array.from({ length: 3000 }, (_, i) => (i * 7919) % 5);
    const b = Array.from({ length: 3000 }, (_, i) => Math.floor(i / 600));
    expect(Math.abs(adjustedRandIndex(a, b))).toBeLessThan(0.01);
  });

  it('should throw a DataError when the labelings differ in length', () => {
    expect(() => adjustedRandIndex([0, 1], [0])).toThrow(DataError);
  });
});

describe('positivePmi', () => {
  it('should be log 2 on the diagonal and 0 off it for two disjoint pairs', () => {
    const ppmi = positivePmi(Matrix.from1DArray(2, 2, [5, 0, 0, 5]));
    expect(ppmi.get(0, 0)).toBeCloseTo(Math.log(2), 12);
    expect(ppmi.get(0, 1)).toBe(0);
  });

  it('should never be negative', () => {
    fc.assert(fc.property(fc.array(fc.nat(20), { minLength: 9, maxLength: 9 }), (cells) => {
      const counts = Matrix.from1DArray(3, 3, cells);
      const symmetric = counts.add(counts.transpose());
      for (const value of positivePmi(symmetric).to1DArray()) {
        expect(value).toBeGreaterThanOrEqual(0);
      }
    }));
  });
});

describe('leadingSplits', () => {
  it('should recover the two blocks of a block-structured matrix in one split', () => {
    const blocks = [0, 0, 1, 0, 1, 1, 0, 1];
    const counts = blockCounts(blocks, (a, b) => (blocks[a] === blocks[b] ? 20 : 2) + (a + b) % 3);
    const splits = leadingSplits(positivePmi(counts), 4);
    const useful = splits.filter((split) => split.splits);
    expect(adjustedRandIndex(useful[0].side, blocks)).toBe(1);
  });

  it('should split coarse blocks first, then recover all four fine ones with three splits', () => {
    // Four fine blocks of three tokens inside two coarse blocks: strong within a fine block
    // (a little stronger in earlier blocks, so no two eigenvalues tie), weaker within a coarse
    // block, weakest across.
    const fine = [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3];
    const coarse = fine.map((block) => Math.floor(block / 2));
    const matrix = blockCounts(fine, (a, b) => (fine[a] === fine[b] ? 6 - 0.4 * fine[a]
      : coarse[a] === coarse[b] ? 2 : 1));
    const useful = leadingSplits(matrix, 6).filter((split) => split.splits);
    expect(adjustedRandIndex(useful[0].side, coarse)).toBe(1);
    expect(adjustedRandIndex(useful[0].side, fine)).toBeLessThan(0.5);
    expect(adjustedRandIndex(signPattern(useful.slice(0, 3)), fine)).toBe(1);
  });

  it('should sort eigenvalues from the largest down', () => {
    const counts = blockCounts([0, 0, 1, 1, 2], (a, b) => 1 + ((a * b) % 4));
    const values = leadingSplits(positivePmi(counts), 5).map((split) => split.eigenvalue);
    expect(values).toEqual([...values].sort((a, b) => b - a));
  });

  it('should throw a DataError that says what to do when fewer than two tokens are kept', () => {
    expect(() => leadingSplits(Matrix.from1DArray(1, 1, [1]), 2)).toThrow('use more text');
  });
});

describe('cooccurrence', () => {
  it('should count both orders of pairs within the window, skipping position 0', () => {
    // One row [9, 1, 2, 1]: scored 1, 2, 1; pairs within 1: (1,2) twice both orders.
    const set: HeldOutSet = { tokens: Int32Array.of(9, 1, 2, 1), count: 1, length: 4, bytes: 3 };
    const { tokens, counts } = cooccurrence(set, 1, new Set());
    expect(tokens).toEqual([1, 2]);
    expect(counts.to2DArray()).toEqual([[0, 2], [2, 0]]);
    const wide = cooccurrence(set, 2, new Set([2]));
    expect(wide.tokens).toEqual([1]);
    expect(wide.counts.to2DArray()).toEqual([[2]]);
  });
});
