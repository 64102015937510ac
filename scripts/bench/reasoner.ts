// The stochastic reasoner's speed at a reasoner config's shapes: one training step, and
// sampling one and S trajectories for the same batch of test puzzles, timed in rounds.
import { loadConfig } from '../../src/config/index.js';
import { deriveRng } from '../../src/random.js';
import {
  createReasonerModel, datasetOf, disposeReasonerModel, familyOf, inferenceRoundsOf, layoutOf,
  sampleAnswerTokens, stateTokens, type ReasonerModel,
} from '../../src/sampling/reasoner/index.js';
import type { Config } from '../../src/config/index.js';
import { createAdamWState, disposeAdamWState } from '../../src/train/adamw.js';
import {
  disposeBatch, drawReasonerBatch, reasonerTrainStep,
} from '../../src/train/reasoner/index.js';
import { interleavedRounds, median, medianRatio } from './timing.js';

export interface ReasonerSpeed {
  config: string;
  /** Test puzzles in the sampled batch. */
  inputs: number;
  /** Trajectories S per input in the wide run. */
  samples: number;
  /** Rounds R of the config's transitions each. */
  rounds: number;
  /** Median milliseconds of one training step (every supervision round) at the config's batch. */
  trainStepMs: number;
  /** Median milliseconds to sample one trajectory per input. */
  oneTrajectoryMs: number;
  /** Median milliseconds to sample S trajectories per input. */
  allTrajectoriesMs: number;
  /** Median over rounds of (S trajectories) / (one trajectory). */
  samplingS20OverS1: number;
  /** Milliseconds per trajectory in the wide run, over the one-trajectory run. */
  perTrajectoryShare: number;
  trajectoriesPerSecond: number;
}

function testInputs(config: Config, count: number): number[][] {
  const family = familyOf(config);
  const { test } = datasetOf(config, family);
  const layout = layoutOf(family);
  return Array.from({ length: count }, (_, row) =>
    stateTokens(layout, family.encodeInput(test[row % test.length].puzzle)));
}

function trainStepTimer(config: Config, model: ReasonerModel) {
  const family = familyOf(config);
  const source = {
    family, layout: model.layout, examples: datasetOf(config, family).train,
    blank: null, blankShare: 0,
  };
  const batchRng = deriveRng(config.train.seed, 'bench-batches');
  const noiseRng = deriveRng(config.train.seed, 'bench-noise');
  const optimizer = createAdamWState();
  const step = () => {
    const batch = drawReasonerBatch(source, config.train.batchSize, batchRng);
    reasonerTrainStep(model, optimizer, config, batch, noiseRng, config.train.lr);
    disposeBatch(batch);
  };
  return { step, dispose: () => disposeAdamWState(optimizer) };
}

/**
 * Times a training step and sampling of 1 and S = `samples` trajectories for `inputs` test
 * puzzles, each once per round, for `count` rounds after one warm-up round.
 */
export function measureReasoner(file: string, inputs: number, samples: number,
  count: number): ReasonerSpeed {
  const { config } = loadConfig(file);
  const model = createReasonerModel(config, familyOf(config));
  const training = trainStepTimer(config, model);
  try {
    const rows = testInputs(config, inputs);
    const rounds = inferenceRoundsOf(config);
    const seed = config.train.seed;
    const times = interleavedRounds({
      train: training.step,
      one: () => sampleAnswerTokens(model, rows, { samples: 1, rounds, seed }),
      all: () => sampleAnswerTokens(model, rows, { samples, rounds, seed }),
    }, count, 1);
    const { wall } = times;
    const oneTrajectoryMs = median(wall.one);
    const allTrajectoriesMs = median(wall.all);
    const samplingS20OverS1 = medianRatio(wall.all, wall.one);
    return {
      config: file, inputs, samples, rounds, trainStepMs: median(wall.train),
      oneTrajectoryMs, allTrajectoriesMs, samplingS20OverS1,
      perTrajectoryShare: samplingS20OverS1 / samples,
      trajectoriesPerSecond: inputs * samples / (allTrajectoriesMs / 1000),
    };
  } finally {
    training.dispose();
    disposeReasonerModel(model);
  }
}
