// S prior trajectories per input, folded into the batch, each driven by its own seeded noise
// stream; the answer of each trajectory is the argmax of every cell at the final h.
import { tf, type Tensor, type Tensor2D } from '../../backend/index.js';
import { DataError, ShapeError } from '../../errors.js';
import { deriveRng, type Rng } from '../../random.js';
import { embedInputs, initialState } from './encoder.js';
import type { ReasonerModel } from './model.js';
import { answerLogits } from './readout.js';
import {
  perturb, propose, transition, type NoiseSource, type ReasonerState,
} from './transition.js';

export interface RolloutOptions {
  /** Trajectories S per input. */
  samples: number;
  /** Rounds R of `transitions` transitions each. */
  rounds: number;
  /** Seed of the trajectory streams. */
  seed: number;
  /** Trajectory rows run together (default 1024); bounds memory, not the result. */
  maxRows?: number;
}

/**
 * One independent stream per trajectory index, derived from `seed`. Noise depends only on
 * (seed, trajectory, transition), so an input's samples do not change with the inputs it
 * is batched with.
 */
export function trajectoryStreams(seed: number, samples: number): Rng[] {
  return Array.from({ length: samples }, (_, s) => deriveRng(seed, 'trajectory', s));
}

/**
 * Standard normal noise for one transition: one [P, D] draw per trajectory stream, shared by
 * the `inputs` inputs, in rows ordered input-major. -> [inputs*S*P, D].
 */
export function trajectoryNoise(streams: Rng[], inputs: number, positions: number,
  width: number): Tensor2D {
  return tf.tidy(() => {
    const draws = streams.map((rng) => tf.randomNormal([positions, width], 0, 1, 'float32',
      rng.seed()));
    // NOTE: a broadcast sum repeats the draws per input; tile is a slow kernel on wasm.
    const perTrajectory = tf.stack(draws);
    return tf.zeros([inputs, 1, 1, 1]).add(perTrajectory).reshape([-1, width]) as Tensor2D;
  });
}

function checkRequest(model: ReasonerModel, inputs: number[][], options: RolloutOptions) {
  for (const name of ['samples', 'rounds'] as const) {
    if (!Number.isInteger(options[name]) || options[name] < 1) {
      throw new DataError(`reasoner sampling: ${name} is ${options[name]}; use an integer of `
        + 'at least 1');
    }
  }
  const positions = model.shape.positions;
  const wrong = inputs.findIndex((row) => row.length !== positions);
  if (wrong !== -1) {
    throw new ShapeError(`reasoner sampling input ${wrong}`, `[${positions}] state tokens`,
      [inputs[wrong].length]);
  }
}

/** Each input's rows repeated for its S trajectories, input-major. [N*P, D] -> [N*S*P, D]. */
function repeatPerTrajectory(x: Tensor2D, inputs: number, samples: number): Tensor2D {
  const [rows, width] = x.shape;
  return tf.zeros([1, samples, 1, 1]).add(x.reshape([inputs, 1, rows / inputs, width]))
    .reshape([-1, width]) as Tensor2D;
}

/**
 * The first transition. Every trajectory of an input starts from the same state, so its
 * proposal is computed once per input and repeated; noise is added per trajectory.
 */
function firstTransition(model: ReasonerModel, tokens: Tensor, noise: () => NoiseSource,
  samples: number): ReasonerState {
  return tf.tidy(() => {
    const inputs = tokens.shape[0];
    const shared = propose(model, initialState(model.params, inputs),
      embedInputs(model.params, tokens), inputs);
    const repeated = {
      proposal: repeatPerTrajectory(shared.proposal, inputs, samples),
      low: repeatPerTrajectory(shared.low, inputs, samples),
    };
    const { high, low } = perturb(model, repeated, noise()).state;
    return { high, low };
  });
}

/** Runs every transition of one chunk and returns its answer tokens, [rows*outputLength]. */
function rolloutChunk(model: ReasonerModel, inputs: number[][], options: RolloutOptions) {
  const { samples, rounds, seed } = options;
  const { positions, width } = model.shape;
  const rows = inputs.length * samples;
  const streams = trajectoryStreams(seed, samples);
  const noise = (): NoiseSource => (model.shape.stochastic
    ? { kind: 'prior', standard: trajectoryNoise(streams, inputs.length, positions, width) }
    : { kind: 'none' });
  const inputTokens = tf.tensor2d(inputs, [inputs.length, positions], 'int32');
  let state = firstTransition(model, inputTokens, noise, samples);
  const embedded = tf.tidy(() =>
    repeatPerTrajectory(embedInputs(model.params, inputTokens), inputs.length, samples));
  const steps = rounds * model.recursion.transitions;
  for (let step = 1; step < steps; step++) {
    const next = tf.tidy(() => {
      const result = transition(model, state, embedded, noise(), rows).state;
      return { high: result.high, low: result.low };
    });
    tf.dispose([state.high, state.low]);
    state = next;
  }
  const answer = tf.tidy(() => answerLogits(model, state.high, rows).argMax(1));
  const values = Array.from(answer.dataSync());
  tf.dispose([inputTokens, embedded, state.high, state.low, answer]);
  return values;
}

/**
 * Answer tokens of S prior trajectories per input (noise off for a deterministic model).
 * inputs: N rows of P state tokens -> [N][S][outputLength] token ids.
 */
export function sampleAnswerTokens(model: ReasonerModel, inputs: number[][],
  options: RolloutOptions): number[][][] {
  checkRequest(model, inputs, options);
  const { samples } = options;
  const { outputLength } = model.layout;
  const perChunk = Math.max(1, Math.floor((options.maxRows ?? 1024) / samples));
  const result: number[][][] = [];
  for (let start = 0; start < inputs.length; start += perChunk) {
    const chunk = inputs.slice(start, start + perChunk);
    const values = rolloutChunk(model, chunk, options);
    chunk.forEach((_, input) => {
      result.push(Array.from({ length: samples }, (__, s) => {
        const offset = (input * samples + s) * outputLength;
        return values.slice(offset, offset + outputLength);
      }));
    });
  }
  return result;
}
