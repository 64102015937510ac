// AdamW against updates worked out by hand on two-element toys: bias correction, decoupled
// weight decay on matrices only, global-norm clipping, and moments carried between steps.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf, type Tensor, type Variable } from '../../src/backend/index.js';
import {
  adamWUpdate, createAdamWState, disposeAdamWState, globalNorm, type AdamWSettings,
} from '../../src/train/adamw.js';

beforeAll(async () => {
  await initBackend('cpu');
});

const settings: AdamWSettings = { beta1: 0.9, beta2: 0.95, weightDecay: 0, gradClip: 0 };

/** Applies one update per gradient list to a fresh variable; returns its values after each. */
function run(initial: number[][] | number[], gradients: number[][], lr: number,
  overrides: Partial<AdamWSettings> = {}) {
  const variable: Variable = tf.variable(tf.tensor(initial));
  const state = createAdamWState();
  const after: number[][] = [];
  for (const values of gradients) {
    const gradient = tf.tensor(values, variable.shape);
    const norm = globalNorm([gradient]);
    adamWUpdate([['w', variable]], new Map([['w', gradient]]), state,
      { ...settings, ...overrides }, lr, norm);
    tf.dispose([gradient, norm]);
    after.push(Array.from(variable.dataSync()));
  }
  const moments = {
    first: Array.from(state.firstMoment.get('w')!.dataSync()),
    second: Array.from(state.secondMoment.get('w')!.dataSync()),
    step: state.step,
  };
  disposeAdamWState(state);
  variable.dispose();
  return { after, moments };
}

const close = (actual: number[], expected: number[], digits = 6) =>
  actual.forEach((value, index) => expect(value).toBeCloseTo(expected[index], digits));

describe('adamWUpdate', () => {
  it('should move each weight by lr in the sign of its gradient when it is the first step', () => {
    const { after, moments } = run([1, -2], [[0.5, -0.25]], 0.01);
    close(after[0], [0.99, -1.99]);
    close(moments.first, [0.05, -0.025]);
    close(moments.second, [0.05 * 0.25, 0.05 * 0.0625]);
    expect(moments.step).toBe(1);
  });

  it('should match the hand-computed second step when the gradient changes sign', () => {
    const { after } = run([1, -2], [[0.5, -0.25], [-1, 0.5]], 0.01);
    // First weight: m = 0.9 * 0.05 - 0.1 = -0.055, v = 0.95 * 0.0125 + 0.05 = 0.061875.
    const first = (-0.055 / 0.19) / Math.sqrt(0.061875 / 0.0975);
    // Second weight: m = 0.9 * -0.025 + 0.05 = 0.0275, v = 0.95 * 0.003125 + 0.0125.
    const second = (0.0275 / 0.19) / Math.sqrt((0.95 * 0.003125 + 0.0125) / 0.0975);
    close(after[1], [0.99 - 0.01 * first, -1.99 - 0.01 * second]);
  });

  it('should add weightDecay times the weight when the variable is a matrix', () => {
    const { after } = run([[1, -2]], [[0.5, -0.25]], 0.01, { weightDecay: 0.1 });
    // w - lr (sign(g) + 0.1 w): 1 - 0.01 * 1.1 and -2 - 0.01 * (-1 - 0.2).
    close(after[0], [0.989, -1.988]);
  });

  it('should not decay a vector (a norm gain) when weightDecay is set', () => {
    const { after } = run([1, -2], [[0.5, -0.25]], 0.01, { weightDecay: 0.1 });
    close(after[0], [0.99, -1.99]);
  });

  it('should scale gradients to the clip in global norm when the norm is above it', () => {
    // [3, 4] has norm 5; clipped to 1 it is [0.6, 0.8], which the moments record.
    const { moments } = run([0, 0], [[3, 4]], 0.01, { gradClip: 1 });
    close(moments.first, [0.06, 0.08], 5);
    close(moments.second, [0.05 * 0.36, 0.05 * 0.64], 5);
  });

  it('should leave gradients alone when the norm is below the clip', () => {
    const { moments } = run([0, 0], [[0.3, 0.4]], 0.01, { gradClip: 1 });
    close(moments.first, [0.03, 0.04], 6);
  });

  it('should clip by the norm over all parameters when there are two', () => {
    const a = tf.variable(tf.tensor1d([0]));
    const b = tf.variable(tf.tensor1d([0]));
    const gradients = new Map<string, Tensor>([['a', tf.tensor1d([3])], ['b', tf.tensor1d([4])]]);
    const norm = globalNorm([...gradients.values()]);
    expect(norm.dataSync()[0]).toBeCloseTo(5, 6);
    const state = createAdamWState();
    adamWUpdate([['a', a], ['b', b]], gradients, state, { ...settings, gradClip: 1 }, 0.01, norm);
    expect(state.firstMoment.get('a')!.dataSync()[0]).toBeCloseTo(0.06, 5);
    expect(state.firstMoment.get('b')!.dataSync()[0]).toBeCloseTo(0.08, 5);
    disposeAdamWState(state);
    tf.dispose([a, b, norm, ...gradients.values()]);
  });
});
