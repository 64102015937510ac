// What the benchmark runs: training steps and inner steps of models with a config's shapes,
// on seeded random byte batches (speed does not depend on the text).
import { tf } from '../../src/backend/index.js';
import type { Config } from '../../src/config/index.js';
import { disposeDecoder } from '../../src/decoder/index.js';
import { createRng, deriveRng, type Rng } from '../../src/random.js';
import { createAdamWState, disposeAdamWState, type AdamWState } from '../../src/train/adamw.js';
import { toBatch, trainStep, type StepMetrics } from '../../src/train/step.js';
import {
  finishInference, inferenceStep, startInference, type InferenceBatch, type InferenceState,
} from '../../src/vi/inner-loop.js';
import { createLatentModel, type LatentModel } from '../../src/vi/model.js';

/** Byte vocabulary of the default tokenizer. */
export const benchVocab = 256;
const batchCount = 4;

export interface StepFixture {
  config: Config;
  model: LatentModel;
  optimizer: AdamWState;
  batches: InferenceBatch[];
  noise: Rng;
  steps: number;
}

function randomBatches(config: Config, seed: string): InferenceBatch[] {
  const rng = createRng(seed);
  const { batchSize } = config.train;
  const length = config.model.sequenceLength;
  return Array.from({ length: batchCount }, () => {
    const rows = Int32Array.from({ length: batchSize * (length + 1) },
      () => rng.int(benchVocab));
    return toBatch(rows, batchSize, length);
  });
}

/** A fresh model (weights from the config's seed), its optimiser and a few fixed batches. */
export function createStepFixture(config: Config, seed = 'bench'): StepFixture {
  return {
    config,
    model: createLatentModel(config, benchVocab),
    optimizer: createAdamWState(),
    batches: randomBatches(config, seed),
    noise: deriveRng(config.train.seed, 'bench-noise'),
    steps: 0,
  };
}

/** One training step (inner loop, if any, and a decoder update) on the next batch. */
export function runStep(fixture: StepFixture): StepMetrics {
  const batch = fixture.batches[fixture.steps % fixture.batches.length];
  fixture.steps += 1;
  return trainStep(fixture.model, fixture.optimizer, fixture.config, batch, fixture.noise,
    fixture.config.train.lr, false);
}

export function disposeStepFixture(fixture: StepFixture): void {
  disposeAdamWState(fixture.optimizer);
  disposeDecoder(fixture.model.decoder);
  for (const batch of fixture.batches) tf.dispose([batch.tokens, batch.targets]);
}

/**
 * An inner loop kept open so single updates can be timed. Its schedule is long, so the
 * rate stays in range however many updates the timing takes.
 */
export function openInnerLoop(fixture: StepFixture): InferenceState {
  const settings = fixture.model.inference;
  if (settings === null) throw new Error('openInnerLoop: the fixture has no latents');
  return startInference(fixture.model.decoder, fixture.batches[0],
    { ...settings, steps: 1_000_000 }, fixture.noise);
}

export function closeInnerLoop(state: InferenceState): void {
  const { posterior } = finishInference(state);
  tf.dispose([posterior.mu, posterior.logVar]);
}

export { inferenceStep };
