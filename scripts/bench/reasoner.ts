// The stochastic reasoner's sampling speed: S prior trajectories for a batch of inputs, at a
// reasoner config's shapes. The inputs are the family's blank puzzle, which every family has.
import { loadConfig } from '../../src/config/index.js';
import {
  blankExample, createReasonerModel, disposeReasonerModel, familyOf, inferenceRoundsOf,
  sampleAnswerTokens, stateTokens,
} from '../../src/sampling/reasoner/index.js';
import { median, repeatMs } from './timing.js';

export interface ReasonerSampling {
  config: string;
  inputs: number;
  /** Trajectories S per input. */
  samples: number;
  /** Rounds R of the config's transitions each. */
  rounds: number;
  /** Median milliseconds to sample every trajectory of the batch. */
  ms: number;
  trajectoriesPerSecond: number;
  runs: number[];
}

/** Times `sampleAnswerTokens` for `inputs` copies of the blank puzzle, `runs` times. */
export function measureReasonerSampling(file: string, inputs: number, runs: number):
  ReasonerSampling {
  const { config } = loadConfig(file);
  const family = familyOf(config);
  const model = createReasonerModel(config, family);
  try {
    const blank = blankExample(family, 1);
    const input = stateTokens(model.layout, family.encodeInput(blank.puzzle));
    const rows = Array.from({ length: inputs }, () => input);
    const samples = config.reasoner.evalSamples;
    const rounds = inferenceRoundsOf(config);
    const times = repeatMs(() => sampleAnswerTokens(model, rows, {
      samples, rounds, seed: config.train.seed,
    }), { warmup: 1, maxRuns: runs, budgetMs: Number.POSITIVE_INFINITY, minRuns: runs });
    const ms = median(times);
    return {
      config: file, inputs, samples, rounds, ms,
      trajectoriesPerSecond: inputs * samples / (ms / 1000), runs: times,
    };
  } finally {
    disposeReasonerModel(model);
  }
}
