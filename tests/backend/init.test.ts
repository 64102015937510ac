// Backend selection: each choice starts the backend it names, wasm comes with the project's
// kernels, and an unknown choice is refused with a ConfigError.
import { describe, expect, it } from 'vitest';
import { fastMatMulActive, initBackend, tf } from '../../src/backend/index.js';
import type { BackendChoice } from '../../src/backend/index.js';
import { ConfigError } from '../../src/errors.js';

describe('initBackend', () => {
  it('should return cpu when cpu is chosen', async () => {
    expect(await initBackend('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('should return wasm with the project kernels when wasm is chosen', async () => {
    expect(await initBackend('wasm')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(fastMatMulActive()).toBe(true);
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeDefined();
  });

  it('should switch back to cpu when cpu is chosen after wasm', async () => {
    await initBackend('wasm');
    expect(await initBackend('cpu')).toBe('cpu');
  });

  it('should throw ConfigError naming the choices when the choice is unknown', async () => {
    const attempt = initBackend('gpu' as BackendChoice);
    await expect(attempt).rejects.toThrow(ConfigError);
    await expect(initBackend('gpu' as BackendChoice)).rejects.toThrow(/'gpu'.*auto, wasm/);
  });
});
