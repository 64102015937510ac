// The fast wasm matrix product against the cpu backend: every transpose, batch and broadcast
// case, forward and gradients, plus the routes it takes, its fallbacks and its memory.
import fc from 'fast-check';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  fastMatMulActive, heldTransposeCount, holdTransposes, initBackend, matMulRouteCounts,
  registerFastMatMul, releaseTransposes, resetMatMulRouteCounts, tf, unregisterFastMatMul,
} from '../../src/backend/index.js';
import type { Tensor } from '../../src/backend/index.js';
import { createRng } from '../../src/random.js';

type Grads = 'both' | 'a' | 'b' | 'none';

interface ProductCase {
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
  /** Which gradients tfjs can take: a broadcast operand's gradient throws on every backend. */
  grads: Grads;
}

const rng = createRng('wasm-matmul-test');

function uniform(shape: number[]): Float32Array {
  const values = new Float32Array(shape.reduce((n, size) => n * size, 1));
  for (let i = 0; i < values.length; i++) values[i] = 2 * rng.next() - 1;
  return values;
}

/** The product, then the gradients of `sum(product * weights)`, as plain arrays. */
function productAndGrads(c: ProductCase, a: Float32Array, b: Float32Array): Float32Array[] {
  return tf.tidy(() => {
    const ta = tf.tensor(a, c.a);
    const tb = tf.tensor(b, c.b);
    const product = (x: Tensor, y: Tensor) => tf.matMul(x, y, c.transposeA, c.transposeB);
    const out = product(ta, tb);
    const weights = tf.tensor(uniformFor(out.shape), out.shape);
    const loss = (x: Tensor, y: Tensor) => product(x, y).mul(weights).sum();
    const grads = {
      both: () => tf.grads(loss)([ta, tb]),
      a: () => [tf.grad((x: Tensor) => loss(x, tb))(ta)],
      b: () => [tf.grad((y: Tensor) => loss(ta, y))(tb)],
      none: () => [],
    }[c.grads]();
    return [out, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

// The loss weights must be the same on both backends: one fixed draw per output size.
const weightDraws = new Map<number, Float32Array>();
function uniformFor(shape: number[]): Float32Array {
  const size = shape.reduce((n, s) => n * s, 1);
  if (!weightDraws.has(size)) weightDraws.set(size, uniform(shape));
  return weightDraws.get(size) as Float32Array;
}

/** Largest |got - want| over largest |want|: 0 for identical results. */
function relativeError(got: Float32Array, want: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

async function onBackend<T>(name: string, run: () => T): Promise<T> {
  await tf.setBackend(name);
  return run();
}

/** Runs a case on cpu and wasm; returns the worst relative error over product and grads. */
async function worstError(c: ProductCase): Promise<number> {
  const a = uniform(c.a);
  const b = uniform(c.b);
  const want = await onBackend('cpu', () => productAndGrads(c, a, b));
  const got = await onBackend('wasm', () => productAndGrads(c, a, b));
  expect(got.map((g) => g.length)).toEqual(want.map((w) => w.length));
  return Math.max(...got.map((g, i) => relativeError(g, want[i])));
}

const transposes = [
  { name: 'NN', transposeA: false, transposeB: false },
  { name: 'TN', transposeA: true, transposeB: false },
  { name: 'NT', transposeA: false, transposeB: true },
  { name: 'TT', transposeA: true, transposeB: true },
];

/** Operand shapes for `[...outerA, M, K] x [...outerB, K, N]` under the given transposes. */
function shapes(
  outerA: number[], outerB: number[], m: number, k: number, n: number,
  t: { transposeA: boolean; transposeB: boolean },
): { a: number[]; b: number[] } {
  return {
    a: [...outerA, ...(t.transposeA ? [k, m] : [m, k])],
    b: [...outerB, ...(t.transposeB ? [n, k] : [k, n])],
  };
}

beforeAll(async () => {
  await initBackend('wasm');
});

beforeEach(async () => {
  expect(registerFastMatMul()).toBe(true);
  await tf.setBackend('wasm');
});

describe('fast wasm matMul against cpu', () => {
  for (const t of transposes) {
    it(`should match cpu forward and backward when 2-D ${t.name} 7x13x5`, async () => {
      expect(await worstError({ ...shapes([], [], 7, 13, 5, t), ...t, grads: 'both' }))
        .toBeLessThanOrEqual(1e-5);
    });

    it(`should match cpu when 2-D ${t.name} 64x128x96 (blocked kernels)`, async () => {
      expect(await worstError({ ...shapes([], [], 64, 128, 96, t), ...t, grads: 'both' }))
        .toBeLessThanOrEqual(1e-5);
    });

    it(`should match cpu when 2-D ${t.name} has vector sides 1x9x1`, async () => {
      expect(await worstError({ ...shapes([], [], 1, 9, 1, t), ...t, grads: 'both' }))
        .toBeLessThanOrEqual(1e-5);
    });

    for (const batch of [1, 3, 16]) {
      it(`should match cpu when 3-D ${t.name} batch ${batch} 7x13x5`, async () => {
        const c = { ...shapes([batch], [batch], 7, 13, 5, t), ...t, grads: 'both' as const };
        expect(await worstError(c)).toBeLessThanOrEqual(1e-5);
      });
    }

    it(`should match cpu when ${t.name} right operand [1, K, N] broadcasts over batch 3`,
      async () => {
        const c = { ...shapes([3], [1], 7, 13, 5, t), ...t, grads: 'a' as const };
        expect(await worstError(c)).toBeLessThanOrEqual(1e-5);
      });

    it(`should match cpu when ${t.name} left operand [1, M, K] broadcasts over batch 16`,
      async () => {
        const c = { ...shapes([1], [16], 7, 13, 5, t), ...t, grads: 'b' as const };
        expect(await worstError(c)).toBeLessThanOrEqual(1e-5);
      });

    it(`should match cpu forward when ${t.name} rank-3 left meets a rank-2 right`, async () => {
      const c = { ...shapes([3], [], 7, 13, 5, t), ...t, grads: 'none' as const };
      expect(await worstError(c)).toBeLessThanOrEqual(1e-5);
    });
  }

  it('should match cpu when both operands are rank 4 with the same outer dims', async () => {
    const t = transposes[3];
    expect(await worstError({ ...shapes([2, 3], [2, 3], 7, 13, 5, t), ...t, grads: 'both' }))
      .toBeLessThanOrEqual(1e-5);
  });

  it('should match cpu when a rank-3 right operand broadcasts over a rank-4 left', async () => {
    const t = transposes[2];
    expect(await worstError({ ...shapes([2, 3], [3], 4, 6, 5, t), ...t, grads: 'none' }))
      .toBeLessThanOrEqual(1e-5);
  });

  it('should match tiled operands when outer dims [2, 1] and [1, 3] both broadcast', () => {
    const a = tf.tensor(uniform([2, 1, 4, 6]), [2, 1, 4, 6]);
    const b = tf.tensor(uniform([1, 3, 6, 5]), [1, 3, 6, 5]);
    const got = tf.matMul(a, b);
    const want = tf.matMul(tf.tile(a, [1, 3, 1, 1]), tf.tile(b, [2, 1, 1, 1]));
    expect(got.shape).toEqual([2, 3, 4, 5]);
    expect(relativeError(got.dataSync() as Float32Array, want.dataSync() as Float32Array))
      .toBeLessThanOrEqual(1e-6);
    tf.dispose([a, b, got, want]);
  });

  it('should match cpu for any small shape and transpose (property)', async () => {
    const dim = fc.integer({ min: 1, max: 9 });
    const layout = fc.constantFrom('same', 'right1', 'left1', 'rank2');
    await fc.assert(fc.asyncProperty(
      dim, dim, dim, fc.integer({ min: 1, max: 4 }), fc.boolean(), fc.boolean(), layout,
      async (m, k, n, batch, transposeA, transposeB, kind) => {
        const outer = {
          same: [[batch], [batch]], right1: [[batch], [1]], left1: [[1], [batch]], rank2: [[], []],
        }[kind];
        const t = { transposeA, transposeB };
        const c = { ...shapes(outer[0], outer[1], m, k, n, t), ...t, grads: 'none' as const };
        expect(await worstError(c)).toBeLessThanOrEqual(1e-5);
      }), { numRuns: 40, seed: 7 });
  });
});

describe('fast wasm matMul routes', () => {
  it('should take the folded route when a 2-D NT product runs', () => {
    resetMatMulRouteCounts();
    tf.tidy(() => tf.matMul(tf.ones([4, 3]), tf.ones([5, 3]), false, true));
    expect(matMulRouteCounts()).toEqual(
      { folded: 1, batched: 0, turned: 0, converted: 0, empty: 0, stock: 0 });
  });

  it('should take the batched route once per product when attention is batched', () => {
    resetMatMulRouteCounts();
    tf.tidy(() => tf.matMul(tf.ones([4, 8, 3]), tf.ones([4, 8, 3]), false, true));
    expect(matMulRouteCounts().batched).toBe(1);
    expect(matMulRouteCounts().stock).toBe(0);
  });

  it('should give exact int32 results when both operands are int32', async () => {
    const a = Int32Array.from({ length: 3 * 7 * 5 }, (_, i) => (i * 37) % 19 - 9);
    const b = Int32Array.from({ length: 3 * 5 * 4 }, (_, i) => (i * 11) % 13 - 6);
    const run = () => tf.tidy(() => {
      const out = tf.matMul(tf.tensor(a, [3, 7, 5], 'int32'), tf.tensor(b, [3, 4, 5], 'int32'),
        false, true);
      return { dtype: out.dtype, values: Array.from(out.dataSync()) };
    });
    const want = await onBackend('cpu', run);
    resetMatMulRouteCounts();
    const got = await onBackend('wasm', run);
    expect(got).toEqual(want);
    expect(got.dtype).toBe('int32');
    expect(matMulRouteCounts().converted).toBe(1);
  });

  it('should give zeros when the inner dimension is empty', () => {
    resetMatMulRouteCounts();
    const out = tf.tidy(() => tf.matMul(tf.ones([3, 0]), tf.ones([0, 2])).arraySync());
    expect(out).toEqual([[0, 0], [0, 0], [0, 0]]);
    expect(matMulRouteCounts().empty).toBe(1);
  });

  it('should give an empty result when the output has no rows', () => {
    const shape = tf.tidy(() => tf.matMul(tf.ones([2, 0, 3]), tf.ones([2, 3, 4])).shape);
    expect(shape).toEqual([2, 0, 4]);
  });

  it('should not reuse a weight cached under another shape when the weight is reshaped', () => {
    const got = tf.tidy(() => {
      const weight = tf.range(0, 24).reshape([6, 4]);
      tf.matMul(tf.ones([2, 6]), weight);
      return tf.matMul(tf.ones([3, 4]), weight.reshape([4, 6])).arraySync() as number[][];
    });
    expect(got[0]).toEqual([36, 40, 44, 48, 52, 56]);
  });

  it('should use the stock kernel after unregistering and the fast one after registering',
    () => {
      const product = () => tf.tidy(() =>
        Array.from(tf.matMul(tf.ones([2, 3, 4]), tf.ones([2, 5, 4]), false, true).dataSync()));
      unregisterFastMatMul();
      unregisterFastMatMul();
      expect(fastMatMulActive()).toBe(false);
      resetMatMulRouteCounts();
      const stockValues = product();
      expect(matMulRouteCounts().batched).toBe(0);

      expect(registerFastMatMul()).toBe(true);
      expect(registerFastMatMul()).toBe(true);
      expect(fastMatMulActive()).toBe(true);
      expect(product()).toEqual(stockValues);
      expect(matMulRouteCounts().batched).toBe(1);
    });

  it('should leave tensor and heap counts unchanged when products run many times', () => {
    const run = () => tf.tidy(() => {
      const x = tf.ones([3, 7, 13]);
      const w = tf.ones([13, 5]);
      const f = (a: Tensor, b: Tensor) => tf.matMul(a, b, false, true).sum();
      tf.grads(f)([x, tf.ones([3, 5, 13])]);
      tf.grad((a: Tensor) => tf.matMul(a.reshape([21, 13]), w).sum())(x);
      tf.matMul(tf.ones([4, 6], 'int32'), tf.ones([6, 2], 'int32'));
      tf.fused.matMul({ a: x, b: tf.ones([3, 5, 13]), transposeB: true, bias: tf.ones([5]) });
    });
    run();
    const tensors = tf.memory().numTensors;
    const dataIds = tf.backend().numDataIds();
    for (let i = 0; i < 50; i++) run();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.backend().numDataIds()).toBe(dataIds);
  });
});

describe('fast wasm fused matMul against cpu', () => {
  const activations = ['linear', 'relu', 'relu6', 'leakyrelu', 'sigmoid', 'elu'] as const;
  for (const activation of activations) {
    it(`should match cpu when ${activation} with bias runs batched and transposed`, async () => {
      const a = uniform([3, 13, 7]);
      const b = uniform([3, 5, 13]);
      const bias = uniform([5]);
      const run = () => tf.tidy(() => tf.fused.matMul({
        a: tf.tensor(a, [3, 13, 7]), b: tf.tensor(b, [3, 5, 13]), transposeA: true,
        transposeB: true, bias: tf.tensor(bias, [5]), activation, leakyreluAlpha: 0.1,
      }).dataSync() as Float32Array);
      const want = await onBackend('cpu', run);
      resetMatMulRouteCounts();
      const got = await onBackend('wasm', run);
      expect(relativeError(got, want)).toBeLessThanOrEqual(1e-5);
      expect(matMulRouteCounts().batched).toBe(1);
    });
  }

  it('should match cpu when a folded fused product has a bias', async () => {
    const a = uniform([3, 7, 13]);
    const b = uniform([13, 5]);
    const bias = uniform([5]);
    const run = () => tf.tidy(() => tf.fused.matMul({
      a: tf.tensor(a, [21, 13]), b: tf.tensor(b, [13, 5]), bias: tf.tensor(bias, [5]),
      activation: 'relu',
    }).dataSync() as Float32Array);
    const want = await onBackend('cpu', run);
    const got = await onBackend('wasm', run);
    expect(relativeError(got, want)).toBeLessThanOrEqual(1e-5);
  });

  it('should hand prelu to the stock kernel and still match cpu', async () => {
    const a = uniform([6, 4]);
    const b = uniform([4, 3]);
    const run = () => tf.tidy(() => tf.fused.matMul({
      a: tf.tensor(a, [6, 4]), b: tf.tensor(b, [4, 3]), activation: 'prelu',
      preluActivationWeights: tf.tensor1d([0.1, 0.2, 0.3]),
    }).dataSync() as Float32Array);
    const want = await onBackend('cpu', run);
    resetMatMulRouteCounts();
    const got = await onBackend('wasm', run);
    expect(relativeError(got, want)).toBeLessThanOrEqual(1e-5);
    expect(matMulRouteCounts().stock).toBe(1);
  });
});

describe('fast wasm matMul, turned batched products', () => {
  it('should turn a batched product whose right side is much wider than the left is tall',
    () => {
      resetMatMulRouteCounts();
      tf.tidy(() => tf.matMul(tf.ones([8, 50, 4]), tf.ones([8, 50, 64]), true, false));
      expect(matMulRouteCounts().turned).toBe(1);
      resetMatMulRouteCounts();
      tf.tidy(() => tf.matMul(tf.ones([8, 50, 64]), tf.ones([8, 50, 64]), true, false));
      expect(matMulRouteCounts().turned).toBe(0);
    });

  it('should give bit for bit the untransposed 2-D products when it turns', () => {
    const [got, want] = tf.tidy(() => {
      const a = tf.tensor(uniform([8, 50, 4]), [8, 50, 4]);
      const b = tf.tensor(uniform([8, 50, 64]), [8, 50, 64]);
      const slices = [...Array(8).keys()].map((i) => tf.matMul(
        tf.transpose(a.slice([i, 0, 0], [1, 50, 4]).reshape([50, 4])),
        b.slice([i, 0, 0], [1, 50, 64]).reshape([50, 64])));
      return [tf.matMul(a, b, true, false).dataSync(), tf.stack(slices).dataSync()];
    });
    expect(Array.from(got)).toEqual(Array.from(want));
  });

  for (const t of transposes) {
    it(`should match cpu forward and backward when a ${t.name} product is turned`, async () => {
      const c = { ...shapes([6], [6], 3, 17, 40, t), ...t, grads: 'both' as const };
      expect(await worstError(c)).toBeLessThanOrEqual(1e-5);
    });
  }

  it('should match cpu when a turned product has a broadcast left operand', async () => {
    const t = transposes[1];
    const c = { ...shapes([1], [5], 2, 9, 30, t), ...t, grads: 'b' as const };
    expect(await worstError(c)).toBeLessThanOrEqual(1e-5);
  });
});

describe('fast wasm matMul, held transposes', () => {
  it('should make one copy, reuse it, and free it on release when a weight is held', () => {
    const weight = tf.tensor(uniform([6, 5]), [6, 5]);
    const x = tf.tensor(uniform([4, 5]), [4, 5]);
    const plain = tf.tidy(() => tf.matMul(x, weight, false, true).dataSync());
    const ids = tf.backend().numDataIds();
    const hold = holdTransposes([weight]);
    const first = tf.tidy(() => tf.matMul(x, weight, false, true).dataSync());
    expect(heldTransposeCount()).toBe(1);
    const second = tf.tidy(() => tf.matMul(x, weight, false, true).dataSync());
    expect(heldTransposeCount()).toBe(1);
    releaseTransposes(hold);
    releaseTransposes(hold);
    expect(heldTransposeCount()).toBe(0);
    expect(tf.backend().numDataIds()).toBe(ids);
    expect(Array.from(first)).toEqual(Array.from(plain));
    expect(Array.from(second)).toEqual(Array.from(plain));
    tf.dispose([weight, x]);
  });

  it('should keep the copies until the last of nested holds is released', () => {
    const weight = tf.tensor(uniform([3, 7]), [3, 7]);
    const outer = holdTransposes([weight]);
    const inner = holdTransposes([weight, weight]);
    tf.tidy(() => tf.matMul(tf.ones([2, 7]), weight, false, true));
    releaseTransposes(inner);
    expect(heldTransposeCount()).toBe(1);
    releaseTransposes(outer);
    expect(heldTransposeCount()).toBe(0);
    weight.dispose();
  });

  it('should keep one copy per reading when a held weight is reshaped', () => {
    const weight = tf.range(0, 24).reshape([6, 4]);
    const hold = holdTransposes([weight]);
    const got = tf.tidy(() => {
      const wide = tf.matMul(tf.ones([2, 4]), weight, false, true).arraySync() as number[][];
      const tall = tf.matMul(tf.ones([2, 6]), weight.reshape([4, 6]), false, true)
        .arraySync() as number[][];
      return { wide: wide[0], tall: tall[0] };
    });
    expect(heldTransposeCount()).toBe(2);
    releaseTransposes(hold);
    expect(got.wide).toEqual([6, 22, 38, 54, 70, 86]);
    expect(got.tall).toEqual([15, 51, 87, 123]);
    weight.dispose();
  });

  it('should give the cpu gradient when products use a held weight', async () => {
    const values = uniform([9, 6]);
    const input = uniform([5, 6]);
    const run = () => tf.tidy(() => {
      const weight = tf.tensor(values, [9, 6]);
      const hold = holdTransposes([weight]);
      const f = (x: Tensor) => tf.matMul(tf.matMul(x, weight, false, true), weight).square()
        .sum();
      const grad = tf.grad(f)(tf.tensor(input, [5, 6])).dataSync() as Float32Array;
      releaseTransposes(hold);
      return grad;
    });
    const want = await onBackend('cpu', run);
    const got = await onBackend('wasm', run);
    expect(relativeError(got, want)).toBeLessThanOrEqual(1e-5);
  });
});
