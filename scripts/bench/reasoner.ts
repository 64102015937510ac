// The stochastic reasoner's speed at a reasoner config's shapes: one training step, and
// sampling one and S trajectories for the same batch of test puzzles, timed in rounds; the
// same ratio at smaller batches; and the arithmetic floor under it, from a kernel profile.
import { tf } from '../../src/backend/index.js';
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
import { productFlops } from './profile.js';
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
  /** The same ratio for smaller batches of test puzzles, batch size ascending. */
  byInputs: SamplingAtBatch[];
  /** What the matrix products of the wide run alone cost. */
  products: SamplingProducts;
}

export interface SamplingAtBatch {
  inputs: number;
  oneTrajectoryMs: number;
  allTrajectoriesMs: number;
  samplingS20OverS1: number;
}

export interface SamplingProducts {
  /** Floating-point operations of every matrix product in one wide run. */
  gflop: number;
  /** Their summed kernel time in one profiled wide run (median of runs). */
  kernelMs: number;
  gflopsPerSecond: number;
  /**
   * The wide run's products at `ceilingGflopsPerSecond`, over the whole one-trajectory run:
   * no sampler that does this arithmetic can reach a smaller ratio on this machine.
   */
  floorOverS1: number;
  /** The fastest product rate measured on this machine in the same benchmark. */
  ceilingGflopsPerSecond: number;
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

/** Operations and median kernel time of the matrix products in `run`. */
async function profileProducts(run: () => void, runs: number):
  Promise<{ gflop: number; kernelMs: number }> {
  run();
  let flops = 0;
  const times: number[] = [];
  for (let index = 0; index < runs; index++) {
    const info = await tf.profile(run);
    const products = info.kernels.filter((kernel) => kernel.name === 'BatchMatMul'
      || kernel.name === '_FusedMatMul');
    flops = products.reduce((total, kernel) => total + productFlops(kernel), 0);
    times.push(products.reduce((total, kernel) => total + Number(kernel.kernelTimeMs), 0));
  }
  return { gflop: flops / 1e9, kernelMs: median(times) };
}

/** S = 1 and S = `samples` for `inputs` test puzzles, in interleaved rounds. */
function timeSampling(model: ReasonerModel, rows: number[][], samples: number, rounds: number,
  seed: number, count: number): SamplingAtBatch {
  const { wall } = interleavedRounds({
    one: () => sampleAnswerTokens(model, rows, { samples: 1, rounds, seed }),
    all: () => sampleAnswerTokens(model, rows, { samples, rounds, seed }),
  }, count, 1);
  return {
    inputs: rows.length, oneTrajectoryMs: median(wall.one),
    allTrajectoriesMs: median(wall.all), samplingS20OverS1: medianRatio(wall.all, wall.one),
  };
}

/** Batch sizes below `inputs` at which the ratio is also measured: 1, 4, 16, ... */
function smallerBatches(inputs: number): number[] {
  const sizes: number[] = [];
  for (let size = 1; size < inputs; size *= 4) sizes.push(size);
  return sizes;
}

/**
 * Times a training step and sampling of 1 and S = `samples` trajectories for `inputs` test
 * puzzles, each once per round, for `count` rounds after one warm-up round.
 */
export async function measureReasoner(file: string, inputs: number, samples: number,
  count: number, ceilingGflopsPerSecond: number): Promise<ReasonerSpeed> {
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
    const byInputs = smallerBatches(inputs).map((size) =>
      timeSampling(model, rows.slice(0, size), samples, rounds, seed, count));
    const wide = await profileProducts(
      () => sampleAnswerTokens(model, rows, { samples, rounds, seed }), Math.min(count, 3));
    const gflopsPerSecond = wide.gflop / (wide.kernelMs / 1000);
    // The products' own rate counts too: a disturbed product timing must not lower the bar.
    const ceiling = Math.max(ceilingGflopsPerSecond, gflopsPerSecond);
    const products = {
      ...wide, gflopsPerSecond, ceilingGflopsPerSecond: ceiling,
      floorOverS1: (1000 * wide.gflop / ceiling) / oneTrajectoryMs,
    };
    return {
      config: file, inputs, samples, rounds, trainStepMs: median(wall.train),
      oneTrajectoryMs, allTrajectoriesMs, samplingS20OverS1,
      perTrajectoryShare: samplingS20OverS1 / samples,
      trajectoriesPerSecond: inputs * samples / (allTrajectoriesMs / 1000),
      byInputs, products,
    };
  } finally {
    training.dispose();
    disposeReasonerModel(model);
  }
}
