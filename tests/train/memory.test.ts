// Tensor counts over long loops (wasm backend, shapes shrunk so it stays fast): 500 training
// steps, 500 inner loops and 200 generation calls must each end with the count they had
// after a few warm-up rounds, and freeing the model must return to where it started.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../src/backend/index.js';
import { loadConfig, type Config } from '../../src/config/index.js';
import { loadCorpus, type Corpus } from '../../src/data/index.js';
import { disposeDecoder } from '../../src/decoder/index.js';
import { deriveRng } from '../../src/random.js';
import { generateTokens } from '../../src/sampling/generate.js';
import { toBatch } from '../../src/train/step.js';
import { train } from '../../src/train/trainer.js';
import { fitPosterior } from '../../src/vi/inner-loop.js';
import { createLatentModel } from '../../src/vi/model.js';

const config: Config = loadConfig('configs/tiny.json', [
  'backend=wasm', 'model.width=8', 'model.mlpHidden=8', 'model.sequenceLength=4',
  'model.window=2', 'latents.perLayer=1', 'latents.dim=4', 'vi.innerSteps=1',
  'train.batchSize=2', 'train.steps=500', 'train.logEvery=100', 'train.checkpointEvery=0',
]).config;

let corpus: Corpus;

beforeAll(async () => {
  await initBackend('wasm');
  corpus = loadCorpus(config.data, config.model.sequenceLength);
});

/** Runs `round` `times` times and returns the tensor count after each. */
function countsOver(times: number, round: (index: number) => void): number[] {
  return Array.from({ length: times }, (_, index) => {
    round(index);
    return tf.memory().numTensors;
  });
}

describe('tensor counts', () => {
  it('should stay the same from step 5 to step 500 of training and drop back after', async () => {
    const start = tf.memory().numTensors;
    const counts: number[] = [];
    const result = await train(config, { runDir: null, finalEval: false, onEvent: (event) => {
      if (event.type === 'step') counts.push(tf.memory().numTensors);
    } });
    expect(counts).toHaveLength(500);
    expect(new Set(counts.slice(4))).toEqual(new Set([counts[4]]));
    disposeDecoder(result.model.decoder);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('should stay the same over 500 inner loops after 5 warm-up loops', () => {
    const model = createLatentModel(config, corpus.vocabSize);
    const rng = deriveRng(1, 'memory-test');
    const rows = corpus.sampleTrainBatch(rng, 2, config.model.sequenceLength + 1);
    const batch = toBatch(rows, 2, config.model.sequenceLength);
    const counts = countsOver(505, (index) => {
      const { posterior, trace } = fitPosterior(model.decoder, batch, model.inference!, rng,
        index % 2 === 0);
      tf.dispose([posterior.mu, posterior.logVar, trace?.nll, trace?.kl]
        .filter((tensor) => tensor !== undefined));
    });
    expect(new Set(counts.slice(4))).toEqual(new Set([counts[4]]));
    tf.dispose([batch.tokens, batch.targets]);
    disposeDecoder(model.decoder);
  });

  it('should stay the same over 200 generation calls after 5 warm-up calls', () => {
    const model = createLatentModel(config, corpus.vocabSize);
    const counts = countsOver(205, (index) => {
      generateTokens(model, config, { prompt: index % 2 === 0 ? [] : [72, 101, 108, 108],
        samples: 2, maxTokens: 2, temperature: 0.8, topK: index % 3, seed: index });
    });
    expect(new Set(counts.slice(4))).toEqual(new Set([counts[4]]));
    disposeDecoder(model.decoder);
  });
});
