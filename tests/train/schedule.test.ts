// The outer learning rate: linear warm-up to lr, then a cosine down to minLr.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { klWarmupWeight, learningRate } from '../../src/train/schedule.js';

describe('learningRate', () => {
  // 110 steps, 10 of warm-up, peak 1, floor 0.1.
  const rate = (step: number) => learningRate(step, 110, 1, 0.1, 10);

  it('should climb linearly to lr when it is in the warm-up', () => {
    expect(rate(0)).toBeCloseTo(0.1, 12);
    expect(rate(4)).toBeCloseTo(0.5, 12);
    expect(rate(9)).toBe(1);
  });

  it('should start the cosine at lr when the warm-up ends', () => {
    expect(rate(10)).toBe(1);
  });

  it('should be halfway between lr and minLr when the decay is half done', () => {
    expect(rate(60)).toBeCloseTo(0.55, 12);
  });

  it('should reach minLr at the end and stay there when steps run past it', () => {
    expect(rate(110)).toBeCloseTo(0.1, 12);
    expect(rate(500)).toBeCloseTo(0.1, 12);
  });

  it('should give lr at step 0 when there is no warm-up', () => {
    expect(learningRate(0, 100, 0.002, 0.0002, 0)).toBe(0.002);
  });

  it('should stay within [minLr, lr] and never rise after warm-up when the budget varies', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 50 }),
      (steps, warmup) => {
        let previous = Infinity;
        const broken: number[] = [];
        for (let step = 0; step < steps; step++) {
          const value = learningRate(step, steps, 1, 0.1, warmup);
          const decaying = step >= warmup;
          if (value > 1 + 1e-12 || value <= 0
            || (decaying && (value < 0.1 - 1e-12 || value > previous))) broken.push(step);
          if (decaying) previous = value;
        }
        expect(broken).toEqual([]);
      }), { numRuns: 50 });
  });
});

describe('klWarmupWeight', () => {
  it('should start at the start weight and reach 1 when the warm-up ends', () => {
    expect(klWarmupWeight(0, 100, 0.05)).toBe(0.05);
    expect(klWarmupWeight(50, 100, 0.05)).toBeCloseTo(0.525, 12);
    expect(klWarmupWeight(100, 100, 0.05)).toBe(1);
    expect(klWarmupWeight(5000, 100, 0.05)).toBe(1);
  });

  it('should be 1 at every step when there is no warm-up', () => {
    expect(klWarmupWeight(0, 0, 0.05)).toBe(1);
    expect(klWarmupWeight(7, 0, 0.5)).toBe(1);
  });

  it('should never fall and stay within [start, 1] when the warm-up varies', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 300 }), fc.double({ min: 0.001, max: 1 }),
      (warmup, start) => {
        let previous = 0;
        for (let step = 0; step < warmup + 10; step++) {
          const weight = klWarmupWeight(step, warmup, start);
          if (weight < previous || weight < Math.min(start, 1) || weight > 1) return false;
          previous = weight;
        }
        return true;
      }));
  });
});
