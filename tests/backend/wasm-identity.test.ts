// The wasm Identity and Cast kernels that share memory: no new buffer for a clone or a cast
// to the same type, values that outlive the original, real conversions still converting, and
// the copying stock kernels back after unregistering.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  initBackend, registerSharedIdentity, sharedIdentityActive, tf, unregisterSharedIdentity,
} from '../../src/backend/index.js';

beforeAll(async () => {
  await initBackend('wasm');
});

afterEach(() => {
  registerSharedIdentity();
});

const buffers = () => tf.memory().numDataBuffers;

describe('sharing Identity and Cast on wasm', () => {
  it('should be active when the wasm backend has started', () => {
    expect(sharedIdentityActive()).toBe(true);
  });

  it('should add no buffer when a float tensor is cloned', () => {
    const x = tf.tensor1d([1.5, -2, 3]);
    const before = buffers();
    const y = tf.clone(x);
    expect(buffers()).toBe(before);
    expect(Array.from(y.dataSync())).toEqual([1.5, -2, 3]);
    tf.dispose([x, y]);
  });

  it('should keep the clone readable when the original is disposed first', () => {
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const y = tf.clone(x);
    x.dispose();
    expect(y.arraySync()).toEqual([[1, 2], [3, 4]]);
    const before = buffers();
    y.dispose();
    expect(buffers()).toBe(before - 1);
  });

  it('should share when casting to the same type and convert when the type changes', () => {
    const x = tf.tensor1d([2.7, -2.7, 0.5]);
    const before = buffers();
    const same = tf.cast(x, 'float32');
    expect(buffers()).toBe(before);
    const whole = tf.cast(x, 'int32');
    expect(whole.dtype).toBe('int32');
    expect(Array.from(whole.dataSync())).toEqual([2, -2, 0]);
    expect(Array.from(same.dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose([x, same, whole]);
  });

  it('should clone a string tensor through the stock kernel', () => {
    const x = tf.tensor1d(['a', 'bc'], 'string');
    const y = tf.clone(x);
    x.dispose();
    expect(y.arraySync()).toEqual(['a', 'bc']);
    y.dispose();
  });

  it('should copy again when the stock kernels are put back', () => {
    unregisterSharedIdentity();
    expect(sharedIdentityActive()).toBe(false);
    const x = tf.tensor1d([1, 2]);
    const before = buffers();
    const y = tf.clone(x);
    expect(buffers()).toBe(before + 1);
    tf.dispose([x, y]);
  });

  it('should give the cpu gradient when the tape clones saved tensors', async () => {
    const run = () => tf.tidy(() => {
      const x = tf.tensor2d([[0.3, -1.2, 2], [1, 0.5, -0.7]]);
      const f = (t: tf.Tensor) => t.mul(t).sigmoid().mul(t.exp()).sum();
      return Array.from(tf.grad(f)(x).dataSync());
    });
    const got = run();
    await tf.setBackend('cpu');
    const want = run();
    await tf.setBackend('wasm');
    got.forEach((value, index) => expect(value).toBeCloseTo(want[index], 6));
  });
});
