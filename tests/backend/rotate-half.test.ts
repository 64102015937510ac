// The rotate-half kernel on wasm and cpu against the product with the rotary tables' matrix:
// the same values to the bit, forward and gradient, for several head sizes and ranks; its
// algebra (four turns are the identity); bad shapes; and the fallback when it is missing.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  initBackend, registerRotateHalf, rotateHalf, rotateHalfActive, tf, unregisterRotateHalf,
  type Tensor, type Tensor2D,
} from '../../src/backend/index.js';
import { applyRotary, rotaryTables } from '../../src/decoder/layers.js';
import { ShapeError } from '../../src/errors.js';
import { createRng } from '../../src/random.js';

const rng = createRng('rotate-half-test');

function uniform(size: number): number[] {
  return Array.from({ length: size }, () => 2 * rng.next() - 1);
}

beforeAll(async () => {
  await initBackend('wasm');
});

afterAll(async () => {
  registerRotateHalf();
  await tf.setBackend('wasm');
});

/** The rotation as the [D, D] matrix of the rotary tables. */
function rotationMatrix(width: number, heads: number): Tensor2D {
  const tables = rotaryTables(1, width, heads, 10000);
  tf.dispose([tables.cos, tables.sin]);
  return tables.rotateHalf;
}

/** Value and gradient of sum(rotate(x) * weights), flattened. x: [N, D]. */
function valueAndGradient(rotate: (x: Tensor) => Tensor, values: number[], dy: number[],
  shape: number[]): number[] {
  return tf.tidy(() => {
    const x = tf.tensor(values, shape);
    const weights = tf.tensor(dy, shape);
    const gradient = tf.grad((input: Tensor) => rotate(input).mul(weights).sum())(x);
    return [...rotate(x).dataSync(), ...gradient.dataSync()];
  });
}

describe.each(['wasm', 'cpu'])('rotateHalf on %s', (backend) => {
  it.each([
    { width: 8, heads: 1, shape: [5, 8] },
    { width: 128, heads: 2, shape: [12, 128] },
    { width: 16, heads: 4, shape: [2, 3, 16] },
  ])('should equal the rotation matrix product bit for bit when D $width has $heads heads',
    async ({ width, heads, shape }) => {
      await tf.setBackend(backend);
      const size = shape.reduce((total, dim) => total * dim, 1);
      const [values, dy] = [uniform(size), uniform(size)];
      const matrix = rotationMatrix(width, heads);
      const viaProduct = (x: Tensor) => tf.matMul(x.reshape([-1, width]) as Tensor2D, matrix)
        .reshape(x.shape);
      const before = tf.memory().numTensors;
      const kernel = valueAndGradient((x) => rotateHalf(x, width / heads), values, dy, shape);
      expect(tf.memory().numTensors).toBe(before);
      expect(kernel).toEqual(valueAndGradient(viaProduct, values, dy, shape));
      matrix.dispose();
      await tf.setBackend('wasm');
    });

  it('should give back its input when applied four times', async () => {
    await tf.setBackend(backend);
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 5 }), (halfSize, heads, rows) => {
        const headSize = 2 * halfSize;
        const values = uniform(rows * heads * headSize);
        const turned = tf.tidy(() => {
          let x: Tensor = tf.tensor2d(values, [rows, heads * headSize]);
          for (let turn = 0; turn < 4; turn++) x = rotateHalf(x, headSize);
          return Array.from(x.dataSync());
        });
        expect(turned).toEqual(Array.from(Float32Array.from(values)));
      }), { numRuns: 30 });
    await tf.setBackend('wasm');
  });
});

describe('rotateHalf input checks', () => {
  it.each([
    { name: 'an odd head size', shape: [2, 6], headSize: 3 },
    { name: 'a width that is no multiple of the head size', shape: [2, 6], headSize: 4 },
  ])('should throw a ShapeError when given $name', ({ shape, headSize }) => {
    const x = tf.zeros(shape);
    expect(() => rotateHalf(x, headSize)).toThrow(ShapeError);
    x.dispose();
  });

  it('should throw a ShapeError naming the dtype when x is int32', () => {
    const x = tf.zeros([2, 4], 'int32');
    expect(() => rotateHalf(x, 4)).toThrow(/int32/);
    x.dispose();
  });
});

describe('applyRotary without the kernel', () => {
  it('should fall back to the matrix product with the same values when it is removed', () => {
    const [batch, length, width, heads] = [2, 5, 16, 2];
    const tables = rotaryTables(length, width, heads, 10000);
    const values = uniform(batch * length * width);
    const rotate = () => tf.tidy(() => Array.from(applyRotary(
      tf.tensor2d(values, [batch * length, width]), tables, batch).dataSync()));
    expect(rotateHalfActive()).toBe(true);
    const withKernel = rotate();
    unregisterRotateHalf();
    expect(rotateHalfActive()).toBe(false);
    expect(rotate()).toEqual(withKernel);
    registerRotateHalf();
    expect(rotateHalfActive()).toBe(true);
    tf.dispose([tables.cos, tables.sin, tables.rotateHalf]);
  });
});
