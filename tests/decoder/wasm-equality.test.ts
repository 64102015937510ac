// The decoder's building blocks with hand-written gradients on wasm (with the project's
// kernels) against the cpu backend and against the plain composition of tfjs ops, values and
// gradients, including extreme inputs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf, type Tensor, type Tensor2D } from '../../src/backend/index.js';
import { targetNll } from '../../src/decoder/index.js';
import { gatedUnit } from '../../src/decoder/layers.js';
import { createRng } from '../../src/random.js';

const rng = createRng('decoder-wasm-equality');

function uniform(size: number, scale: number): number[] {
  return Array.from({ length: size }, () => scale * (2 * rng.next() - 1));
}

beforeAll(async () => {
  await initBackend('wasm');
});

afterAll(async () => {
  await tf.setBackend('wasm');
});

/** `run` on cpu and on wasm; returns both results. */
async function onBoth<T>(run: () => T): Promise<{ got: T; want: T }> {
  await tf.setBackend('cpu');
  const want = run();
  await tf.setBackend('wasm');
  return { got: run(), want };
}

function expectClose(got: number[], want: number[], tolerance: number): void {
  expect(got).toHaveLength(want.length);
  const scale = Math.max(1, ...want.map(Math.abs));
  got.forEach((value, index) => {
    expect(Math.abs(value - want[index])).toBeLessThanOrEqual(tolerance * scale);
  });
}

describe('targetNll on wasm', () => {
  it.each([
    { scale: 3, name: 'moderate' },
    { scale: 1e4, name: 'huge' },
  ])('should equal cpu in value and gradient when logits are $name', async ({ scale }) => {
    const [rows, vocab] = [6, 9];
    const logits = uniform(rows * vocab, scale);
    const targets = Array.from({ length: rows }, () => rng.int(vocab));
    const dy = uniform(rows, 1);
    const run = () => tf.tidy(() => {
      const target = tf.tensor1d(targets, 'int32');
      const f = (x: Tensor) => targetNll(x as Tensor2D, target);
      const x = tf.tensor2d(logits, [rows, vocab]);
      const grad = tf.grad((input: Tensor) => f(input).mul(tf.tensor1d(dy)).sum())(x);
      return [...f(x).dataSync(), ...grad.dataSync()];
    });
    const { got, want } = await onBoth(run);
    expect(got.every(Number.isFinite)).toBe(true);
    expectClose(got, want, 1e-6);
  });
});

describe('gatedUnit', () => {
  const plain = (g: Tensor, u: Tensor) => g.mul(tf.sigmoid(g)).mul(u);

  it.each([
    { scale: 2, name: 'moderate' },
    { scale: 60, name: 'saturating' },
  ])('should equal silu(g) * u and its plain gradient when inputs are $name', async ({ scale }) => {
    const [rows, width] = [5, 12];
    const gated = uniform(rows * width, scale);
    const up = uniform(rows * width, 1);
    const dy = uniform(rows * width, 1);
    const run = (unit: (g: Tensor, u: Tensor) => Tensor) => tf.tidy(() => {
      const weights = tf.tensor2d(dy, [rows, width]);
      const inputs = [tf.tensor2d(gated, [rows, width]), tf.tensor2d(up, [rows, width])];
      const grads = tf.grads((g: Tensor, u: Tensor) => unit(g, u).mul(weights).sum())(inputs);
      return [...unit(inputs[0], inputs[1]).dataSync(), ...grads[0].dataSync(),
        ...grads[1].dataSync()];
    });
    const { got, want } = await onBoth(() => run(gatedUnit));
    expect(got.every(Number.isFinite)).toBe(true);
    expectClose(got, want, 1e-6);
    expectClose(got, run(plain), 1e-6);
  });
});
