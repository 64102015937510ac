// Numbers at the edges through the whole training step and through token sampling: a
// posterior starting at the extremes of its log-variance range, logits near +-1e4 from huge
// weights, tokens of zero probability. Every loss, KL and sample must stay finite.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../src/backend/index.js';
import { loadConfig } from '../../src/config/index.js';
import { decoderLogits, disposeDecoder } from '../../src/decoder/index.js';
import { clampLogVar, klBetween, reparameterise } from '../../src/latents/index.js';
import { createRng } from '../../src/random.js';
import { generateTokens, sampleToken } from '../../src/sampling/generate.js';
import { train, type TrainEvent } from '../../src/train/trainer.js';
import { createLatentModel } from '../../src/vi/model.js';

const small = ['backend=wasm', 'model.width=8', 'model.mlpHidden=8', 'model.sequenceLength=8',
  'model.window=4', 'latents.perLayer=1', 'latents.dim=4', 'train.batchSize=2',
  'train.steps=3', 'train.logEvery=1', 'train.checkpointEvery=0'];
const configWith = (...overrides: string[]) =>
  loadConfig('configs/tiny.json', [...small, ...overrides]).config;

beforeAll(async () => {
  await initBackend('wasm');
});

/** Trains in memory; returns every step's metrics and inner-loop trace as plain numbers. */
async function stepNumbers(overrides: string[]): Promise<number[]> {
  const events: TrainEvent[] = [];
  const result = await train(configWith(...overrides), { runDir: null, finalEval: false,
    onEvent: (event) => events.push(event) });
  disposeDecoder(result.model.decoder);
  return events.flatMap((event) => event.type === 'step'
    ? [event.metrics.nll, event.metrics.kl, event.metrics.gradNorm,
      ...(event.metrics.innerTrace ?? [])] : []);
}

describe('a training step at the edges', () => {
  it.each([
    ['the posterior starts at log-variance -20', ['latents.initLogVar=-20']],
    ['the posterior starts at log-variance 5', ['latents.initLogVar=5']],
    ['the clamp is as wide as the schema allows',
      ['latents.logVarMin=-80', 'latents.logVarMax=80', 'latents.initLogVar=5']],
    ['the inner rate is large and each step is limited',
      ['vi.innerLr=1e6', 'vi.maxStepNorm=1']],
    ['weights start at std 1000, so logits reach 1e4', ['model.initStd=1000']],
  ])('should keep NLL, KL, gradient norm and the inner trace finite when %s',
    async (_, overrides) => {
      const numbers = await stepNumbers(overrides);
      expect(numbers.length).toBeGreaterThanOrEqual(3 * 3);
      expect(numbers.filter((value) => !Number.isFinite(value))).toEqual([]);
    });

  it('should produce logits beyond 5e3 when weights start at std 1000', () => {
    const model = createLatentModel(configWith('model.initStd=1000'), 256);
    const largest = tf.tidy(() => {
      const tokens = tf.tensor2d([[72, 101, 108, 108, 111, 32, 119, 111]], [1, 8], 'int32');
      return decoderLogits(model.decoder, tokens, tf.zeros([1, 1, 1, 4])).abs().max()
        .dataSync()[0];
    });
    disposeDecoder(model.decoder);
    expect(largest).toBeGreaterThan(5e3);
  });

  it('should generate valid tokens when weights start at std 1000', () => {
    const config = configWith('model.initStd=1000');
    const model = createLatentModel(config, 256);
    const samples = generateTokens(model, config, { prompt: [72, 105, 33], samples: 2,
      maxTokens: 4, temperature: 0.8, topK: 0, seed: 3 });
    disposeDecoder(model.decoder);
    expect(samples.flat().every((token) => Number.isInteger(token) && token >= 0
      && token < 256)).toBe(true);
  });
});

describe('sampleToken at the edges', () => {
  it('should pick the logit 1e4 every time when the others are -1e4 and 0', () => {
    const rng = createRng('extreme-logits');
    const logits = Float32Array.from([-1e4, 1e4, 0]);
    const picks = Array.from({ length: 200 }, () => sampleToken(logits, 1, 0, rng));
    expect(new Set(picks)).toEqual(new Set([1]));
  });

  it('should never pick a token of zero probability (logit -Infinity)', () => {
    const rng = createRng('zero-probability');
    const logits = Float32Array.from([-Infinity, 0, -Infinity, 0.5]);
    const picks = Array.from({ length: 2000 }, () => sampleToken(logits, 1, 0, rng));
    expect(new Set(picks)).toEqual(new Set([1, 3]));
  });

  it('should act greedily, not return NaN, when the temperature is 1e-30', () => {
    const rng = createRng('cold');
    expect(sampleToken(Float32Array.from([0.1, 0.3, 0.2]), 1e-30, 0, rng)).toBe(1);
  });
});

describe('Gaussians at the edges', () => {
  it('should keep KL between two posteriors and their samples finite when log-variances of '
    + '+-100 are clamped to [-12, 6]', () => {
    const { kl, z } = tf.tidy(() => {
      const clamp = (values: number[]) => clampLogVar(tf.tensor1d(values), -12, 6);
      const q = { mu: tf.tensor1d([0, 3, -3, 0]), logVar: clamp([100, -100, 100, -100]) };
      const p = { mu: tf.tensor1d([0, 0, 0, 0]), logVar: clamp([-100, 100, 100, -100]) };
      return {
        kl: Array.from(klBetween(q, p).dataSync()),
        z: Array.from(reparameterise(q, tf.tensor1d([1, -1, 2, -2])).dataSync()),
      };
    });
    // Closed form at the clamped values: KL(N(0, e^6) || N(0, e^-12)) = (e^18 - 1 - 18) / 2.
    expect(kl[0]).toBeCloseTo((Math.exp(18) - 19) / 2, -3);
    expect(kl[3]).toBe(0);
    expect([...kl, ...z].every(Number.isFinite)).toBe(true);
  });
});
