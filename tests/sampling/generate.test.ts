// Text generation on a tiny model (cpu backend): token choice by temperature and top-k, and
// whole continuations that repeat under one seed and differ under another.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { resolveConfig, type Config } from '../../src/config/index.js';
import { disposeDecoder } from '../../src/decoder/index.js';
import { createRng } from '../../src/random.js';
import { generateTokens, sampleToken, type GenerateOptions } from '../../src/sampling/generate.js';
import { createLatentModel, type LatentModel } from '../../src/vi/model.js';

const vocabSize = 32;
let config: Config;
let ltm: LatentModel;
let ar: LatentModel;

beforeAll(async () => {
  await initBackend('cpu');
  config = resolveConfig({
    model: { layers: 1, width: 16, heads: 2, mlpHidden: 32, sequenceLength: 8, window: 4,
      initStd: 0.5 },
    latents: { perLayer: 2, dim: 4 },
    vi: { innerSteps: 2 },
  });
  ltm = createLatentModel(config, vocabSize);
  ar = createLatentModel(resolveConfig(config, ['latents.enabled=false']), vocabSize);
});

afterAll(() => {
  disposeDecoder(ltm.decoder);
  disposeDecoder(ar.decoder);
});

describe('sampleToken', () => {
  const logits = Float32Array.from([0.5, 2, -1, 1.9]);

  it('should pick the largest logit when the temperature is 0', () => {
    expect(sampleToken(logits, 0, 0, createRng(1))).toBe(1);
  });

  it('should pick the largest logit whatever the draw when top-k is 1', () => {
    fc.assert(fc.property(fc.integer(), (seed) => {
      expect(sampleToken(logits, 1.5, 1, createRng(seed))).toBe(1);
    }), { numRuns: 50 });
  });

  it('should only pick among the top two when top-k is 2', () => {
    fc.assert(fc.property(fc.integer(), (seed) => {
      expect([1, 3]).toContain(sampleToken(logits, 5, 2, createRng(seed)));
    }), { numRuns: 50 });
  });

  it('should pick each token with its softmax probability when the temperature is 1', () => {
    // Logits 0 and log 3: probabilities 1/4 and 3/4.
    const rng = createRng('frequencies');
    const draws = 4000;
    let second = 0;
    const twoLogits = Float32Array.from([0, Math.log(3)]);
    for (let i = 0; i < draws; i++) second += sampleToken(twoLogits, 1, 0, rng);
    expect(Math.abs(second / draws - 0.75)).toBeLessThan(0.03);
  });
});

describe('generateTokens', () => {
  const options: GenerateOptions = {
    prompt: [], samples: 3, maxTokens: 6, temperature: 1, topK: 0, seed: 4,
  };

  it.each([
    { kind: 'LTM from the prior', model: () => ltm, prompt: [] },
    { kind: 'LTM from a prompt', model: () => ltm, prompt: [3, 1, 4, 1, 5] },
    { kind: 'AR baseline', model: () => ar, prompt: [] },
  ])('should repeat exactly under one seed and differ under another for the $kind',
    ({ model, prompt }) => {
      const first = generateTokens(model(), config, { ...options, prompt });
      const again = generateTokens(model(), config, { ...options, prompt });
      const other = generateTokens(model(), config, { ...options, prompt, seed: 5 });
      expect(again).toEqual(first);
      expect(other).not.toEqual(first);
      expect(first).toHaveLength(3);
      expect(first.every((tokens) => tokens.length === 6
        && tokens.every((token) => Number.isInteger(token) && token >= 0 && token < vocabSize)))
        .toBe(true);
    });

  it('should give every sample the same greedy text when the temperature is 0 and no latents',
    () => {
      const [first, ...rest] = generateTokens(ar, config, { ...options, temperature: 0 });
      rest.forEach((tokens) => expect(tokens).toEqual(first));
    });

  it('should give samples different latents when they are drawn from the prior', () => {
    // Greedy decoding removes the token noise: any difference comes from the latents.
    const samples = generateTokens(ltm, config, { ...options, temperature: 0, samples: 4 });
    expect(new Set(samples.map((tokens) => tokens.join())).size).toBeGreaterThan(1);
  });
});
