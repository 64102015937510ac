// The inner loop's update rules: hand-computed first steps of SGD, Adam and RMSProp, the
// per-row step limit, and the cosine rate from lr down to lr / 10.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf, type Tensor } from '../../src/backend/index.js';
import {
  disposeInnerState, innerRate, innerUpdate, limitStep,
} from '../../src/vi/inner-optimizer.js';

beforeAll(async () => {
  await initBackend('cpu');
});

const values = (tensor: Tensor) => Array.from(tensor.dataSync());

describe('innerUpdate', () => {
  const parameter = [1, -2, 0.5];
  const gradient = [4, -0.5, 0.01];

  function firstStep(name: 'sgd' | 'adam' | 'rmsprop', maxStepNorm = 0): number[] {
    return tf.tidy(() => {
      const result = innerUpdate(name, tf.tensor2d([parameter]), tf.tensor2d([gradient]),
        { count: 0 }, 0.1, maxStepNorm);
      disposeInnerState(result.state);
      return values(result.parameter);
    });
  }

  it('should subtract lr times the gradient when the optimizer is sgd', () => {
    const expected = parameter.map((value, index) => value - 0.1 * gradient[index]);
    firstStep('sgd').forEach((value, index) => expect(value).toBeCloseTo(expected[index], 6));
  });

  it('should move every coordinate by lr in the sign of its gradient when adam starts', () => {
    const expected = parameter.map((value, index) => value - 0.1 * Math.sign(gradient[index]));
    firstStep('adam').forEach((value, index) => expect(value).toBeCloseTo(expected[index], 5));
  });

  it('should also take a sign step when rmsprop starts (bias-corrected second moment)', () => {
    const expected = parameter.map((value, index) => value - 0.1 * Math.sign(gradient[index]));
    firstStep('rmsprop').forEach((value, index) => expect(value).toBeCloseTo(expected[index], 5));
  });

  it('should shorten the sgd step to maxStepNorm when the step is longer', () => {
    // lr * gradient has length 0.1 * sqrt(16.2501); limited to 0.2 along the same direction.
    const scale = 0.2 / (0.1 * Math.sqrt(16 + 0.25 + 0.0001));
    const expected = parameter.map((value, index) => value - 0.1 * gradient[index] * scale);
    firstStep('sgd', 0.2).forEach((value, index) => expect(value).toBeCloseTo(expected[index], 6));
  });

  it.each(['adam', 'rmsprop'] as const)(
    'should shorten the %s step to maxStepNorm when the sign step is longer', (name) => {
      // The first step is 0.1 in every coordinate, length 0.1 sqrt(3); limited to 0.1.
      const scale = 1 / Math.sqrt(3);
      const expected = parameter.map((value, index) =>
        value - 0.1 * Math.sign(gradient[index]) * scale);
      firstStep(name, 0.1).forEach((value, index) =>
        expect(value).toBeCloseTo(expected[index], 5));
    });

  it('should carry Adam moments into a second step when the state is passed on', () => {
    const [second] = tf.tidy(() => {
      const first = innerUpdate('adam', tf.tensor1d([0]), tf.tensor1d([2]), { count: 0 }, 1);
      const next = innerUpdate('adam', first.parameter, tf.tensor1d([-1]), first.state, 1);
      disposeInnerState(first.state);
      disposeInnerState(next.state);
      return values(next.parameter);
    });
    // m = 0.9 * 0.2 - 0.1 = 0.08, v = 0.999 * 0.004 + 0.001 = 0.004996;
    // step = (0.08 / 0.19) / sqrt(0.004996 / 0.001999) after -1 from the first step.
    const step = (0.08 / 0.19) / Math.sqrt(0.004996 / (1 - 0.999 ** 2));
    expect(second).toBeCloseTo(-1 - step, 4);
  });
});

describe('limitStep', () => {
  it('should cap each row at maxStepNorm exactly when rows are longer', () => {
    // Three rows of shape [2, 2] with lengths 5, 0.5 and 10.
    const rows = [[[3, 4], [0, 0]], [[0.3, 0.4], [0, 0]], [[0, 0], [6, 8]]];
    const result = tf.tidy(() => (limitStep(tf.tensor3d(rows), 1).arraySync() as
      number[][][]).map((row) => row.flat()));
    expect(result[0].map((value) => Number(value.toFixed(6)))).toEqual([0.6, 0.8, 0, 0]);
    expect(result[1].map((value) => Number(value.toFixed(6)))).toEqual([0.3, 0.4, 0, 0]);
    expect(result[2].map((value) => Number(value.toFixed(6)))).toEqual([0, 0, 0.6, 0.8]);
  });

  it('should give norm min(norm, limit) in the same direction when rows vary', () => {
    const row = fc.array(fc.float({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true }),
      { minLength: 3, maxLength: 3 });
    fc.assert(fc.property(fc.array(row, { minLength: 1, maxLength: 4 }),
      fc.float({ min: Math.fround(0.1), max: 5, noNaN: true }), (rows, limit) => {
        const result = tf.tidy(() => limitStep(tf.tensor2d(rows), limit).arraySync() as
          number[][]);
        rows.forEach((input, index) => {
          const norm = Math.hypot(...input);
          const expected = Math.min(norm, limit);
          expect(Math.abs(Math.hypot(...result[index]) - expected)).toBeLessThan(1e-4);
          const dot = input.reduce((total, value, k) => total + value * result[index][k], 0);
          expect(dot).toBeGreaterThanOrEqual(-1e-6);
        });
      }));
  });

  it('should return the step itself when maxStepNorm is 0', () => {
    const step = tf.tensor2d([[30, 40]]);
    expect(limitStep(step, 0)).toBe(step);
    step.dispose();
  });
});

describe('innerRate', () => {
  it('should give lr at step 0 and lr / 10 at the last step', () => {
    expect(innerRate(0.8, 0, 5)).toBe(0.8);
    expect(innerRate(0.8, 4, 5)).toBeCloseTo(0.08, 12);
    expect(innerRate(0.8, 2, 5)).toBeCloseTo(0.44, 12);
  });

  it('should give lr when there is a single step', () => {
    expect(innerRate(0.3, 0, 1)).toBe(0.3);
  });

  it('should never rise from one step to the next when steps vary', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 64 }), (steps) => {
      for (let step = 1; step < steps; step++) {
        expect(innerRate(1, step, steps)).toBeLessThanOrEqual(innerRate(1, step - 1, steps));
      }
    }));
  });
});
