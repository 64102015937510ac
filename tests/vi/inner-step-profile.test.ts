// What one inner step runs, read from tf.profile on a small decoder (wasm backend): gradients
// for the latents only (no product has a weight's shape), the latent-free prefix computed
// once per batch, not once per step, no value read back, and transposed weights kept for the
// loop, then freed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heldTransposeCount, initBackend, tf } from '../../src/backend/index.js';
import { createDecoder, disposeDecoder, namedParams, tokenNll, type Decoder } from
  '../../src/decoder/index.js';
import { createRng } from '../../src/random.js';
import {
  finishInference, fitPosterior, inferenceStep, startInference, type InferenceBatch,
  type InnerLoopSettings,
} from '../../src/vi/inner-loop.js';
import { randomTokenBatch } from '../fixtures/batches.js';

// Sizes chosen so that no activation shares a shape with a weight.
const batchSize = 3;
const length = 5;
const vocabSize = 11;
const settings: InnerLoopSettings = {
  steps: 4, lr: 0.5, optimizer: 'sgd', gradientScale: 'sequence', maxStepNorm: 1,
  resampleNoise: false, latentsPerLayer: 2, initLogVar: 0, logVarMin: -12, logVarMax: 6,
};

let decoder: Decoder;
let batch: InferenceBatch;

beforeAll(async () => {
  await initBackend('wasm');
  decoder = createDecoder({
    vocabSize, layers: 2, width: 8, heads: 2, mlpHidden: 12, window: 3, ropeBase: 10000,
    latentDim: 4, latents: true,
  }, 0.5, 9);
  batch = randomTokenBatch('inner-step-profile', batchSize, length, vocabSize);
});

afterAll(() => {
  disposeDecoder(decoder);
  tf.dispose([batch.tokens, batch.targets]);
});

const weightShapes = () => new Set(namedParams(decoder.params)
  .filter(([, variable]) => variable.rank === 2).map(([, variable]) => variable.shape.join()));

/** Output shapes of every matrix product `run` launches. */
async function productOutputs(run: () => void): Promise<string[]> {
  const info = await tf.profile(run);
  return info.kernels.filter((kernel) => kernel.name.includes('MatMul'))
    .map((kernel) => kernel.outputShapes[0].join());
}

describe('one inner step', () => {
  it('should compute no weight gradient when it updates the latents', async () => {
    const state = startInference(decoder, batch, settings, createRng('profile'));
    const outputs = await productOutputs(() => inferenceStep(state));
    const { posterior } = finishInference(state);
    tf.dispose([posterior.mu, posterior.logVar]);
    expect(outputs.length).toBeGreaterThan(10);
    expect(outputs.filter((shape) => weightShapes().has(shape))).toEqual([]);
  });

  it('should find weight-shaped products when decoder gradients are taken', async () => {
    // The check above can fail: a decoder gradient does produce weight-shaped products.
    const weights = namedParams(decoder.params).map(([, variable]) => variable);
    const outputs = await productOutputs(() => tf.tidy(() => {
      tf.variableGrads(() => tokenNll(decoder, batch.tokens, batch.targets,
        tf.zeros([batchSize, 2, 2, 4])).mean() as tf.Scalar, weights);
    }));
    expect(outputs.filter((shape) => weightShapes().has(shape)).length).toBeGreaterThan(10);
  });

  it('should not embed the tokens again when it takes a step', async () => {
    let state: ReturnType<typeof startInference> | undefined;
    // NOTE: tf.profile returns one shared record, so each result is copied before the next.
    const atStart = [...(await tf.profile(() => {
      state = startInference(decoder, batch, settings, createRng('prefix'));
    })).kernelNames];
    const inStep = [...(await tf.profile(() => inferenceStep(state!))).kernelNames];
    const { posterior } = finishInference(state!);
    tf.dispose([posterior.mu, posterior.logVar]);
    expect(atStart).toContain('GatherV2');
    expect(inStep).not.toContain('GatherV2');
  });

  it('should transpose each weight once per loop and free the copies at its end', () => {
    const state = startInference(decoder, batch, settings, createRng('held'));
    inferenceStep(state);
    const afterOne = heldTransposeCount();
    inferenceStep(state);
    expect(afterOne).toBeGreaterThan(5);
    expect(heldTransposeCount()).toBe(afterOne);
    const { posterior } = finishInference(state);
    tf.dispose([posterior.mu, posterior.logVar]);
    expect(heldTransposeCount()).toBe(0);
  });

  it('should leave no heap data behind when a whole loop has run', () => {
    const run = () => {
      const { posterior } = fitPosterior(decoder, batch, settings, createRng('leak'));
      tf.dispose([posterior.mu, posterior.logVar]);
    };
    run();
    const ids = tf.backend().numDataIds();
    run();
    expect(tf.backend().numDataIds()).toBe(ids);
  });

  it('should read no value back from the backend when it takes steps', () => {
    // Tensor reads (dataSync, arraySync, data) go through the engine; kernels that look at
    // their own inputs on the heap do not, and are not what this counts.
    const engine = tf.engine() as unknown as { readSync: (...args: unknown[]) => unknown };
    const readSync = engine.readSync;
    let reads = 0;
    engine.readSync = (...args) => {
      reads += 1;
      return readSync.apply(engine, args);
    };
    const state = startInference(decoder, batch, settings, createRng('reads'), true);
    try {
      inferenceStep(state);
      inferenceStep(state);
      expect(reads).toBe(0);
      // The spy does see a read when there is one.
      tf.tidy(() => tf.scalar(1).dataSync());
      expect(reads).toBe(1);
    } finally {
      engine.readSync = readSync;
      const { posterior, trace } = finishInference(state);
      tf.dispose([posterior.mu, posterior.logVar, trace!.nll, trace!.kl]);
    }
  });
});
