// The inner loop with the default config on real text: eight State of the Union sequences,
// a freshly initialised decoder of the default architecture, wasm backend (default sizes are
// far too slow on cpu). The default settings must lower the objective at every step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../src/backend/index.js';
import { loadConfig, type Config } from '../../src/config/index.js';
import { loadCorpus } from '../../src/data/index.js';
import { disposeDecoder } from '../../src/decoder/index.js';
import { deriveRng } from '../../src/random.js';
import { toBatch } from '../../src/train/step.js';
import { fitPosterior, type InferenceBatch } from '../../src/vi/inner-loop.js';
import { createLatentModel, type LatentModel } from '../../src/vi/model.js';

let config: Config;
let model: LatentModel;
let batch: InferenceBatch;

beforeAll(async () => {
  await initBackend('wasm');
  config = loadConfig('configs/default.json').config;
  const corpus = loadCorpus(config.data, config.model.sequenceLength);
  model = createLatentModel(config, corpus.vocabSize);
  const length = config.model.sequenceLength;
  const rows = corpus.sampleTrainBatch(deriveRng(config.train.seed, 'batches'), 8, length + 1);
  batch = toBatch(rows, 8, length);
});

afterAll(() => {
  disposeDecoder(model.decoder);
  tf.dispose([batch.tokens, batch.targets]);
});

/** One traced inner loop; returns NLL + KL per token at every iterate. */
function tracedObjective(): number[] {
  const { posterior, trace } = fitPosterior(model.decoder, batch, model.inference!,
    deriveRng(config.train.seed, 'noise'), true);
  const objective = tf.tidy(() => trace!.nll.add(trace!.kl).arraySync() as number[]);
  tf.dispose([posterior.mu, posterior.logVar, trace!.nll, trace!.kl]);
  return objective;
}

describe('fitPosterior with the default config on State of the Union text', () => {
  let objective: number[];

  beforeAll(() => {
    objective = tracedObjective();
  });

  it('should start near log 256 nats per token when the decoder is fresh', () => {
    expect(objective).toHaveLength(config.vi.innerSteps + 1);
    expect(Math.abs(objective[0] - Math.log(256))).toBeLessThan(0.05);
  });

  it('should end below where it started when the default vi settings are used', () => {
    expect(objective[objective.length - 1]).toBeLessThan(objective[0]);
  });

  it('should never rise from one inner step to the next when the defaults are used', () => {
    for (let step = 1; step < objective.length; step++) {
      expect(objective[step]).toBeLessThanOrEqual(objective[step - 1]);
    }
  });

  it('should leave the tensor count unchanged when the loop runs again', () => {
    // The first loop above was the warm-up: it built the decoder's constant tables.
    const before = tf.memory().numTensors;
    const again = tracedObjective();
    expect(tf.memory().numTensors).toBe(before);
    expect(again).toEqual(objective);
  });
});
