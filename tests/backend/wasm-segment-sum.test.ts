// The JavaScript UnsortedSegmentSum kernel on wasm: gather gradients and direct sums equal
// the cpu backend's, bit for bit, including repeated and dropped indices.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../src/backend/index.js';
import type { Tensor } from '../../src/backend/index.js';
import { ShapeError } from '../../src/errors.js';
import { createRng } from '../../src/random.js';

const rng = createRng('wasm-segment-sum-test');

function uniform(size: number): Float32Array {
  return Float32Array.from({ length: size }, () => 2 * rng.next() - 1);
}

async function onBackend<T>(name: string, run: () => T): Promise<T> {
  await tf.setBackend(name);
  return run();
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('UnsortedSegmentSum on wasm', () => {
  it('should equal the cpu gather gradient when indices repeat', async () => {
    const table = uniform(50 * 8);
    const indices = [[1, 3, 1, 49], [0, 3, 3, 1]];
    const upstream = uniform(2 * 4 * 8);
    const run = () => tf.tidy(() => {
      const weights = tf.tensor(upstream, [2, 4, 8]);
      const loss = (t: Tensor) => tf.gather(t, tf.tensor2d(indices, [2, 4], 'int32'))
        .mul(weights).sum();
      return Array.from(tf.grad(loss)(tf.tensor(table, [50, 8])).dataSync());
    });
    const want = await onBackend('cpu', run);
    const got = await onBackend('wasm', run);
    expect(got).toEqual(want);
    // Row 1 is gathered three times, row 2 never.
    expect(got.slice(2 * 8, 3 * 8)).toEqual(new Array(8).fill(0));
    expect(got[8]).toBeCloseTo(upstream[0] + upstream[16] + upstream[7 * 8], 5);
  });

  it('should equal the cpu gradient when gathering along axis 1', async () => {
    const table = uniform(3 * 10 * 4);
    const run = () => tf.tidy(() => {
      const loss = (t: Tensor) => tf.gather(t, tf.tensor1d([9, 0, 9, 5], 'int32'), 1)
        .square().sum();
      return Array.from(tf.grad(loss)(tf.tensor(table, [3, 10, 4])).dataSync());
    });
    expect(await onBackend('wasm', run)).toEqual(await onBackend('cpu', run));
  });

  it('should sum into buckets and drop ids out of range when called directly', async () => {
    const run = () => tf.tidy(() => tf.unsortedSegmentSum(
      tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]), tf.tensor1d([2, 0, 2, 5], 'int32'), 3,
    ).arraySync());
    const got = await onBackend('wasm', run);
    expect(got).toEqual([[3, 4], [0, 0], [6, 8]]);
    expect(got).toEqual(await onBackend('cpu', run));
  });

  it('should keep int32 values when x is int32', async () => {
    await tf.setBackend('wasm');
    const out = tf.tidy(() => {
      const sum = tf.unsortedSegmentSum(tf.tensor1d([5, -2, 7], 'int32'),
        tf.tensor1d([1, 1, 0], 'int32'), 2);
      return { dtype: sum.dtype, values: sum.arraySync() };
    });
    expect(out).toEqual({ dtype: 'int32', values: [7, 3] });
  });

  it('should throw ShapeError when ids do not lead the shape of x', async () => {
    await tf.setBackend('wasm');
    expect(() => tf.tidy(() => tf.unsortedSegmentSum(tf.ones([4, 2]),
      tf.tensor1d([0, 1, 0], 'int32'), 2))).toThrow(ShapeError);
  });

  it('should leave the tensor count unchanged when gradients run many times', async () => {
    await tf.setBackend('wasm');
    const table = tf.ones([20, 4]);
    const step = () => tf.tidy(() => {
      tf.grad((t: Tensor) => tf.gather(t, tf.tensor1d([1, 1, 7], 'int32')).sum())(table);
    });
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    table.dispose();
  });
});
