// The row-copying GatherV2 on wasm against the cpu backend: every axis, long and short rows,
// nested indices, int32 values, the cases it hands to the stock kernel, and gradients.
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  fastGatherActive, initBackend, registerFastGather, tf, unregisterFastGather,
} from '../../src/backend/index.js';
import { createRng } from '../../src/random.js';

const rng = createRng('wasm-gather-test');

beforeAll(async () => {
  await initBackend('wasm');
});

afterEach(async () => {
  await tf.setBackend('wasm');
  registerFastGather();
});

interface GatherCase {
  shape: number[];
  indices: number[];
  indexShape: number[];
  axis: number;
  dtype: 'float32' | 'int32';
  batchDims?: number;
}

function values(c: GatherCase): number[] {
  const size = c.shape.reduce((n, s) => n * s, 1);
  return Array.from({ length: size }, () => c.dtype === 'int32'
    ? rng.int(1000) - 500 : 2 * rng.next() - 1);
}

async function onBoth(c: GatherCase): Promise<{ got: unknown; want: unknown }> {
  const data = values(c);
  const run = () => tf.tidy(() => tf.gather(tf.tensor(data, c.shape, c.dtype),
    tf.tensor(c.indices, c.indexShape, 'int32'), c.axis, c.batchDims ?? 0).arraySync());
  await tf.setBackend('cpu');
  const want = run();
  await tf.setBackend('wasm');
  return { got: run(), want };
}

describe('GatherV2 on wasm', () => {
  it('should be active when the wasm backend has started', () => {
    expect(fastGatherActive()).toBe(true);
  });

  it.each([
    { name: 'embedding rows', shape: [7, 20], indices: [3, 0, 6, 3], indexShape: [4], axis: 0 },
    { name: 'short rows', shape: [5, 3], indices: [4, 4, 1], indexShape: [3], axis: 0 },
    { name: 'a middle axis', shape: [2, 6, 4], indices: [5, 0], indexShape: [2], axis: 1 },
    { name: 'the last axis', shape: [3, 5], indices: [1, 4, 1, 0], indexShape: [2, 2], axis: -1 },
    { name: 'nested indices', shape: [9, 17], indices: [8, 1, 2, 2, 0, 5],
      indexShape: [2, 3], axis: 0 },
  ])('should equal cpu when gathering $name', async (c) => {
    const { got, want } = await onBoth({ ...c, dtype: 'float32' });
    expect(got).toEqual(want);
  });

  it('should equal cpu when the values are int32', async () => {
    const { got, want } = await onBoth({ shape: [6, 18], indices: [5, 2, 2], indexShape: [3],
      axis: 0, dtype: 'int32' });
    expect(got).toEqual(want);
  });

  it('should hand batchDims 1 to the stock kernel and still equal cpu', async () => {
    const { got, want } = await onBoth({ shape: [2, 4, 3], indices: [3, 0, 1, 1],
      indexShape: [2, 2], axis: 1, dtype: 'float32', batchDims: 1 });
    expect(got).toEqual(want);
  });

  it('should throw naming the index when one is out of range', () => {
    const x = tf.zeros([4, 2]);
    const indices = tf.tensor1d([1, 4], 'int32');
    expect(() => tf.gather(x, indices)).toThrow(/index value 4/);
    tf.dispose([x, indices]);
  });

  it('should give the cpu gradient of an embedding lookup', async () => {
    const table = values({ shape: [10, 16], indices: [], indexShape: [], axis: 0,
      dtype: 'float32' });
    const upstream = Array.from({ length: 6 * 16 }, () => rng.next());
    const run = () => tf.tidy(() => Array.from(tf.grad((t: tf.Tensor) => tf.gather(t,
      tf.tensor2d([[9, 1, 1], [0, 9, 4]], [2, 3], 'int32')).mul(tf.tensor(upstream,
      [2, 3, 16])).sum())(tf.tensor(table, [10, 16])).dataSync()));
    const got = run();
    await tf.setBackend('cpu');
    expect(got).toEqual(run());
  });

  it('should equal the stock kernel for any rows and indices', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 40 }),
      fc.array(fc.nat(), { minLength: 1, maxLength: 12 }), (rows, width, raw) => {
        const indices = raw.map((index) => index % rows);
        const data = values({ shape: [rows, width], indices, indexShape: [], axis: 0,
          dtype: 'float32' });
        const run = () => tf.tidy(() => tf.gather(tf.tensor2d(data, [rows, width]),
          tf.tensor1d(indices, 'int32')).arraySync());
        const fast = run();
        unregisterFastGather();
        const slow = run();
        registerFastGather();
        expect(fast).toEqual(slow);
      }), { numRuns: 40, seed: 11 });
  });
});
