// Training steps on wasm, with every project kernel, against the cpu backend: the same seeds
// must give the same losses, inner traces, gradient norms and updated weights.
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../src/backend/index.js';
import { resolveConfig, type Config } from '../../src/config/index.js';
import { disposeDecoder, namedParams } from '../../src/decoder/index.js';
import { createRng, deriveRng } from '../../src/random.js';
import { createAdamWState, disposeAdamWState } from '../../src/train/adamw.js';
import { toBatch, trainStep, type StepMetrics } from '../../src/train/step.js';
import { createLatentModel } from '../../src/vi/model.js';

const vocabSize = 40;
const small = {
  model: { layers: 2, width: 16, heads: 2, mlpHidden: 24, sequenceLength: 12, window: 5 },
  latents: { perLayer: 3, dim: 8 },
  vi: { innerSteps: 3, gradientScale: 'sequence', innerLr: 1, maxStepNorm: 1 },
  train: { batchSize: 4, warmupSteps: 0, lr: 0.01 },
};

interface Outcome {
  metrics: StepMetrics[];
  weights: Float32Array[];
}

/** Two traced steps of a fresh model on fixed batches; the metrics and the final weights. */
async function twoSteps(backend: 'wasm' | 'cpu', config: Config): Promise<Outcome> {
  await initBackend(backend);
  const model = createLatentModel(config, vocabSize);
  const optimizer = createAdamWState();
  const noise = deriveRng(config.train.seed, 'noise');
  const rng = createRng('step-backends');
  const { batchSize, lr } = config.train;
  const length = config.model.sequenceLength;
  const metrics: StepMetrics[] = [];
  for (let step = 0; step < 2; step++) {
    const rows = Int32Array.from({ length: batchSize * (length + 1) }, () => rng.int(vocabSize));
    const batch = toBatch(rows, batchSize, length);
    metrics.push(trainStep(model, optimizer, config, batch, noise, lr, true));
    tf.dispose([batch.tokens, batch.targets]);
  }
  const weights = namedParams(model.decoder.params)
    .map(([, variable]) => variable.dataSync() as Float32Array);
  disposeAdamWState(optimizer);
  disposeDecoder(model.decoder);
  return { metrics, weights };
}

const relative = (got: number, want: number) => Math.abs(got - want) / Math.max(Math.abs(want),
  1e-6);

function expectSame(got: Outcome, want: Outcome): void {
  got.metrics.forEach((metrics, step) => {
    expect(relative(metrics.nll, want.metrics[step].nll)).toBeLessThan(1e-5);
    expect(relative(metrics.kl, want.metrics[step].kl)).toBeLessThan(1e-4);
    expect(relative(metrics.gradNorm, want.metrics[step].gradNorm)).toBeLessThan(1e-4);
    (metrics.innerTrace ?? []).forEach((value, index) =>
      expect(relative(value, want.metrics[step].innerTrace![index])).toBeLessThan(1e-5));
  });
  // Adam divides by the gradient's size, so a weight may move by up to 1% of the rate apart.
  got.weights.forEach((values, index) => {
    const largest = Math.max(...values.map((value, i) => Math.abs(value - want.weights[index][i])));
    expect(largest).toBeLessThan(1e-4);
  });
}

afterAll(async () => {
  await initBackend('wasm');
});

describe('training steps on wasm against cpu', () => {
  it.each([
    { kind: 'the LTM', overrides: [] },
    { kind: 'the AR baseline', overrides: ['latents.enabled=false'] },
    { kind: 'sum-over-iterates', overrides: ['vi.decoderGradient="sum-over-iterates"'] },
  ])('should give the same metrics and weights when training $kind', async ({ overrides }) => {
    const config = resolveConfig(small, overrides);
    const wasm = await twoSteps('wasm', config);
    const cpu = await twoSteps('cpu', config);
    expect(wasm.metrics[1].nll).not.toBe(wasm.metrics[0].nll);
    expectSame(wasm, cpu);
  });
});
