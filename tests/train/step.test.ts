// One outer training step on a tiny model (wasm backend): no tensors left behind for the LTM,
// the AR baseline and the sum-over-iterates gradient; each variant's known effects; and no
// update when the loss is not finite.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../src/backend/index.js';
import { resolveConfig, type Config } from '../../src/config/index.js';
import { disposeDecoder, namedParams } from '../../src/decoder/index.js';
import { createRng, deriveRng } from '../../src/random.js';
import { createAdamWState, disposeAdamWState } from '../../src/train/adamw.js';
import { toBatch, trainStep, type StepMetrics } from '../../src/train/step.js';
import { createLatentModel, type LatentModel } from '../../src/vi/model.js';

const vocabSize = 32;
const tiny = {
  backend: 'wasm',
  model: { layers: 2, width: 16, heads: 2, mlpHidden: 32, sequenceLength: 8, window: 4 },
  latents: { perLayer: 2, dim: 8 },
  vi: { innerSteps: 2, gradientScale: 'sequence', innerLr: 1, maxStepNorm: 1 },
  train: { batchSize: 3, warmupSteps: 0 },
};

beforeAll(async () => {
  await initBackend('wasm');
});

const configFor = (overrides: string[] = []) => resolveConfig(tiny, overrides);

function rowsOf(seed: string, config: Config): Int32Array {
  const rng = createRng(seed);
  const { batchSize } = config.train;
  return Int32Array.from({ length: batchSize * (config.model.sequenceLength + 1) },
    () => rng.int(vocabSize));
}

/** Runs `count` steps on fixed batches; returns each step's metrics and the tensor counts. */
function steps(config: Config, count: number, trace = false) {
  const model = createLatentModel(config, vocabSize);
  const optimizer = createAdamWState();
  const noise = deriveRng(config.train.seed, 'noise');
  const metrics: StepMetrics[] = [];
  const tensors: number[] = [];
  for (let step = 0; step < count; step++) {
    const batch = toBatch(rowsOf(`batch-${step}`, config), config.train.batchSize,
      config.model.sequenceLength);
    metrics.push(trainStep(model, optimizer, config, batch, noise, config.train.lr, trace));
    tf.dispose([batch.tokens, batch.targets]);
    tensors.push(tf.memory().numTensors);
  }
  disposeAdamWState(optimizer);
  disposeDecoder(model.decoder);
  return { metrics, tensors };
}

describe('trainStep', () => {
  it.each([
    { kind: 'the LTM', overrides: [] },
    { kind: 'the AR baseline', overrides: ['latents.enabled=false'] },
    { kind: 'sum-over-iterates', overrides: ['vi.decoderGradient="sum-over-iterates"'] },
  ])('should leave the tensor count unchanged after warm-up when training $kind',
    ({ overrides }) => {
      // Step 1 creates the optimiser's moments; from then on the count must stay put.
      const { tensors, metrics } = steps(configFor(overrides), 3, true);
      expect(tensors[2]).toBe(tensors[1]);
      expect(metrics.every((m) => Number.isFinite(m.nll) && Number.isFinite(m.gradNorm)))
        .toBe(true);
    });

  it('should report the inner trace and KL when the LTM step is traced', () => {
    const [metrics] = steps(configFor(), 1, true).metrics;
    expect(metrics.innerTrace).toHaveLength(3);
    expect(metrics.kl).toBeGreaterThan(0);
    expect(metrics.lr).toBe(0.002);
    // A fresh decoder is close to uniform over the vocabulary.
    expect(Math.abs(metrics.nll - Math.log(vocabSize))).toBeLessThan(0.2);
  });

  it('should report no KL and no trace when latents are off', () => {
    const [metrics] = steps(configFor(['latents.enabled=false']), 1, true).metrics;
    expect(metrics.kl).toBe(0);
    expect(metrics.innerTrace).toBeUndefined();
  });

  it('should sum more gradients when decoderGradient is sum-over-iterates', () => {
    const [final] = steps(configFor(), 1).metrics;
    const [summed] = steps(configFor(['vi.decoderGradient="sum-over-iterates"']), 1).metrics;
    // One gradient at each of the innerSteps + 1 iterates plus the final one: four terms
    // of nearly the same direction, so the norm is close to four times as large.
    expect(summed.gradNorm).toBeGreaterThan(3.5 * final.gradNorm);
    expect(summed.gradNorm).toBeLessThan(4.5 * final.gradNorm);
  });

  it('should repeat exactly when the seed and batches are the same', () => {
    const first = steps(configFor(), 2).metrics;
    const second = steps(configFor(), 2).metrics;
    expect(second).toEqual(first);
  });

  it('should fit posteriors with a larger KL when the KL weight of a warm-up is low', () => {
    const config = configFor(['model.initStd=0.5', 'vi.maxStepNorm=0']);
    const klAt = (klWeight: number) => {
      const model = createLatentModel(config, vocabSize);
      const optimizer = createAdamWState();
      const batch = toBatch(rowsOf('warm-up', config), 3, 8);
      const { kl } = trainStep(model, optimizer, config, batch, createRng(1), 0.002, false,
        klWeight);
      tf.dispose([batch.tokens, batch.targets]);
      disposeAdamWState(optimizer);
      disposeDecoder(model.decoder);
      return kl;
    };
    expect(klAt(0.05)).toBeGreaterThan(4 * klAt(1));
  });

  it('should leave every weight untouched when the loss is not finite', () => {
    const config = configFor();
    const model: LatentModel = createLatentModel(config, vocabSize);
    const named = namedParams(model.decoder.params);
    const [, gain] = named.find(([name]) => name === 'blocks.0.mlpNorm')!;
    gain.assign(tf.fill(gain.shape, NaN));
    const before = named.map(([, variable]) => Array.from(variable.dataSync()));
    const optimizer = createAdamWState();
    const batch = toBatch(rowsOf('nan', config), 3, 8);
    const metrics = trainStep(model, optimizer, config, batch, createRng(1), 0.002, false);
    expect(Number.isNaN(metrics.nll)).toBe(true);
    expect(optimizer.step).toBe(0);
    named.forEach(([, variable], index) => {
      expect(Array.from(variable.dataSync())).toEqual(before[index]);
    });
    tf.dispose([batch.tokens, batch.targets]);
    disposeDecoder(model.decoder);
  });
});
