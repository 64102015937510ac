// The inner loop on a tiny decoder (cpu backend): the ELBO gradient against central
// differences, every optimiser and flag changing the fitted posterior, the trace's
// bookkeeping, and no tensors left behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf, type Scalar, type Tensor } from '../../src/backend/index.js';
import {
  createDecoder, disposeDecoder, disposePrefix, keptPrefix, tokenNll, type Decoder,
  type DecoderPrefix,
} from '../../src/decoder/index.js';
import { ShapeError } from '../../src/errors.js';
import { klToStandardNormal, standardNormal } from '../../src/latents/index.js';
import { createRng, deriveRng } from '../../src/random.js';
import {
  fitPosterior, innerObjective, type InferenceBatch, type InnerLoopSettings,
} from '../../src/vi/inner-loop.js';
import { randomTokenBatch } from '../fixtures/batches.js';

const batchSize = 2;
const length = 6;
const vocabSize = 11;
const slots = 2;
const latentShape = [batchSize, 2, slots, 4];

const baseline: InnerLoopSettings = {
  steps: 3, lr: 0.5, optimizer: 'sgd', gradientScale: 'sequence', maxStepNorm: 0,
  resampleNoise: false, latentsPerLayer: slots, initLogVar: 0, logVarMin: -12, logVarMax: 6,
};

let decoder: Decoder;
let batch: InferenceBatch;

beforeAll(async () => {
  await initBackend('cpu');
  decoder = createDecoder({
    vocabSize, layers: 2, width: 8, heads: 2, mlpHidden: 16, window: 3, ropeBase: 10000,
    latentDim: 4, latents: true,
  }, 0.5, 5);
  batch = randomTokenBatch('inner-loop-tokens', batchSize, length, vocabSize);
});

afterAll(() => {
  disposeDecoder(decoder);
  tf.dispose([batch.tokens, batch.targets]);
});

/** A posterior away from the prior, so both the NLL and the KL terms have slope. */
function testPosterior(): { mu: Tensor; logVar: Tensor } {
  return {
    mu: standardNormal(latentShape, 21),
    logVar: tf.tidy(() => standardNormal(latentShape, 22).mul(0.5)),
  };
}

describe('innerObjective', () => {
  let prefix: DecoderPrefix;
  let noise: Tensor;
  let posterior: { mu: Tensor; logVar: Tensor };
  const objective = (mu: Tensor, logVar: Tensor) => innerObjective(decoder, prefix, batch,
    { mu, logVar }, noise, baseline, 1);

  beforeAll(() => {
    prefix = keptPrefix(decoder, batch.tokens);
    noise = standardNormal(latentShape, 23);
    posterior = testPosterior();
  });

  afterAll(() => {
    disposePrefix(prefix);
    tf.dispose([noise, posterior.mu, posterior.logVar]);
  });

  it('should equal the summed NLL plus the summed closed-form KL when scale is 1', () => {
    const [value, nll, kl] = tf.tidy(() => {
      const z = posterior.mu.add(posterior.logVar.mul(0.5).exp().mul(noise));
      return [objective(posterior.mu, posterior.logVar),
        tokenNll(decoder, batch.tokens, batch.targets, z).sum(),
        klToStandardNormal(posterior).sum()].map((t) => t.dataSync()[0]);
    });
    expect(value).toBeCloseTo(nll + kl, 3);
    expect(kl).toBeGreaterThan(1);
  });

  it('should weigh the NLL by 1 / klWeight and keep the KL whole when klWeight is below 1',
    () => {
      const [plain, weighted, kl] = tf.tidy(() => [
        objective(posterior.mu, posterior.logVar),
        innerObjective(decoder, prefix, batch, posterior, noise, { ...baseline, klWeight: 0.25 },
          1),
        klToStandardNormal(posterior).sum(),
      ].map((t) => t.dataSync()[0]));
      expect(weighted).toBeCloseTo((plain - kl) / 0.25 + kl, 2);
    });

  it('should match central differences in mu and logVar when eps is 1e-2', () => {
    const { gradMu, gradLogVar } = tf.tidy(() => {
      const grads = tf.grads((mu: Tensor, logVar: Tensor) => objective(mu, logVar))(
        [posterior.mu, posterior.logVar]);
      return { gradMu: grads[0].dataSync(), gradLogVar: grads[1].dataSync() };
    });
    const muValues = posterior.mu.dataSync() as Float32Array;
    const logVarValues = posterior.logVar.dataSync() as Float32Array;
    const valueAt = (mu: Float32Array, logVar: Float32Array) => tf.tidy(() =>
      (objective(tf.tensor(mu, latentShape), tf.tensor(logVar, latentShape)) as Scalar)
        .dataSync()[0]);
    const epsilon = 1e-2;
    const shifted = (values: Float32Array, index: number, delta: number) => {
      const copy = Float32Array.from(values);
      copy[index] += delta;
      return copy;
    };
    let nllSlope = 0;
    for (const index of [0, 5, 13, 22, 31]) {
      const muDifference = (valueAt(shifted(muValues, index, epsilon), logVarValues)
        - valueAt(shifted(muValues, index, -epsilon), logVarValues)) / (2 * epsilon);
      const logVarDifference = (valueAt(muValues, shifted(logVarValues, index, epsilon))
        - valueAt(muValues, shifted(logVarValues, index, -epsilon))) / (2 * epsilon);
      expect(Math.abs(gradMu[index] - muDifference))
        .toBeLessThanOrEqual(1e-2 * Math.abs(muDifference) + 2e-3);
      expect(Math.abs(gradLogVar[index] - logVarDifference))
        .toBeLessThanOrEqual(1e-2 * Math.abs(logVarDifference) + 2e-3);
      // The KL alone would give mu; what is left is the NLL's slope through z.
      nllSlope = Math.max(nllSlope, Math.abs(gradMu[index] - muValues[index]));
    }
    expect(nllSlope).toBeGreaterThan(0.05);
  });
});

/** Fits with `settings` and returns the posterior mean as plain numbers. */
function fittedMean(settings: InnerLoopSettings, seed = 'fit'): number[] {
  const { posterior } = fitPosterior(decoder, batch, settings, deriveRng(seed, 'noise'));
  const mean = Array.from(posterior.mu.dataSync());
  tf.dispose([posterior.mu, posterior.logVar]);
  return mean;
}

const maxDifference = (a: number[], b: number[]) =>
  Math.max(...a.map((value, index) => Math.abs(value - b[index])));

describe('fitPosterior', () => {
  it('should give the same posterior when the noise seed is the same', () => {
    expect(fittedMean(baseline)).toEqual(fittedMean(baseline));
  });

  it('should move the mean from 0 when it takes SGD steps', () => {
    const mean = fittedMean(baseline);
    expect(mean).toHaveLength(batchSize * 2 * slots * 4);
    expect(Math.max(...mean.map(Math.abs))).toBeGreaterThan(1e-3);
  });

  it.each([
    { flag: 'resampleNoise', change: { resampleNoise: true } },
    { flag: 'the adam optimizer', change: { optimizer: 'adam' } },
    { flag: 'the rmsprop optimizer', change: { optimizer: 'rmsprop' } },
    { flag: 'gradientScale token', change: { gradientScale: 'token' } },
    { flag: 'maxStepNorm', change: { maxStepNorm: 0.01 } },
    { flag: 'a KL weight below 1', change: { klWeight: 0.2 } },
  ] as const)('should run and change the posterior when $flag is set', ({ change }) => {
    const base = fittedMean(baseline);
    const varied = fittedMean({ ...baseline, ...change });
    expect(varied.every(Number.isFinite)).toBe(true);
    expect(maxDifference(varied, base)).toBeGreaterThan(1e-4);
  });

  it.each(['sgd', 'adam', 'rmsprop'] as const)(
    'should keep every %s step of a row within maxStepNorm when the limit is set',
    (optimizer) => {
      // Three steps of at most 0.01 each: each sequence's mean ends within 0.03 of 0.
      const mean = fittedMean({ ...baseline, optimizer, maxStepNorm: 0.01 });
      const perRow = mean.length / batchSize;
      for (let row = 0; row < batchSize; row++) {
        const slice = mean.slice(row * perRow, (row + 1) * perRow);
        const norm = Math.sqrt(slice.reduce((total, value) => total + value * value, 0));
        expect(norm).toBeLessThanOrEqual(0.03 + 1e-6);
        expect(norm).toBeGreaterThan(0.02);
      }
    });

  it('should return the prior and a one-point trace when steps is 0', () => {
    const { posterior, trace } = fitPosterior(decoder, batch, { ...baseline, steps: 0 },
      deriveRng('zero', 'noise'), true);
    const mu = Array.from(posterior.mu.dataSync());
    const logVar = Array.from(posterior.logVar.dataSync());
    expect(trace!.kl.shape).toEqual([1]);
    expect(trace!.kl.dataSync()[0]).toBe(0);
    expect(mu.every((value) => value === 0) && logVar.every((value) => value === 0)).toBe(true);
    tf.dispose([posterior.mu, posterior.logVar, trace!.nll, trace!.kl]);
  });

  it('should trace the same per-token objective when gradientScale is token or sequence', () => {
    const traceOf = (settings: InnerLoopSettings) => {
      const { posterior, trace } = fitPosterior(decoder, batch, { ...settings, steps: 0 },
        deriveRng('scale', 'noise'), true);
      const value = tf.tidy(() => trace!.nll.add(trace!.kl).dataSync()[0]);
      tf.dispose([posterior.mu, posterior.logVar, trace!.nll, trace!.kl]);
      return value;
    };
    const perSequence = traceOf(baseline);
    expect(traceOf({ ...baseline, gradientScale: 'token' })).toBeCloseTo(perSequence, 5);
    // At the prior a random decoder is near uniform: about log V nats per token.
    expect(Math.abs(perSequence - Math.log(vocabSize))).toBeLessThan(1.5);
  });

  it('should trace the unweighted objective at the prior when klWeight is below 1', () => {
    const startOf = (settings: InnerLoopSettings) => {
      const { posterior, trace } = fitPosterior(decoder, batch, settings,
        deriveRng('weighted', 'noise'), true);
      const first = trace!.nll.dataSync()[0];
      tf.dispose([posterior.mu, posterior.logVar, trace!.nll, trace!.kl]);
      return first;
    };
    // Iterate 0 is the prior under the same noise, whatever the weight of the KL.
    expect(startOf({ ...baseline, klWeight: 0.1 })).toBeCloseTo(startOf(baseline), 5);
  });

  it('should leave the tensor count unchanged when run again after a warm-up', () => {
    for (const settings of [baseline, { ...baseline, optimizer: 'adam' as const },
      { ...baseline, optimizer: 'rmsprop' as const, resampleNoise: true, maxStepNorm: 0.1 }]) {
      const run = () => {
        const { posterior, trace } = fitPosterior(decoder, batch, settings,
          deriveRng('count', 'noise'), true);
        tf.dispose([posterior.mu, posterior.logVar, trace!.nll, trace!.kl]);
      };
      run();
      const before = tf.memory().numTensors;
      run();
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('should throw ShapeError when targets and tokens differ in shape', () => {
    const targets = tf.zeros([batchSize, length - 1], 'int32');
    expect(() => fitPosterior(decoder, { ...batch, targets }, baseline, createRng(1)))
      .toThrow(ShapeError);
    targets.dispose();
  });
});
