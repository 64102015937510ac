// One transition of the recursion: lowSteps refinements of the low-level state, a high-level
// proposal, and the stochastic update h = u + eps with eps from the prior, the posterior, or
// nothing (the deterministic baseline).
import { type Tensor, type Tensor2D } from '../../backend/index.js';
import type { Gaussian } from '../../latents/index.js';
import { ShapeError } from '../../errors.js';
import { mixingBlock } from './block.js';
import { drawNoise, posteriorNoise, priorNoise } from './guidance.js';
import type { ReasonerModel } from './model.js';

/** The recurrent state: high level h and low level l, each [B*P, D]. */
export interface ReasonerState {
  high: Tensor2D;
  low: Tensor2D;
}

/**
 * Where eps comes from. `standard` is N(0, 1) noise of [B*P, D]; `answers` the embedded
 * answers of [B*P, D].
 */
export type NoiseSource =
  | { kind: 'none' }
  | { kind: 'prior'; standard: Tensor }
  | { kind: 'posterior'; standard: Tensor; answers: Tensor2D };

export interface TransitionResult {
  state: ReasonerState;
  /** p(eps | u); present when the noise came from the prior or the posterior. */
  prior?: Gaussian;
  /** q(eps | u, y); present when the noise came from the posterior. */
  posterior?: Gaussian;
}

function checkState(state: ReasonerState, embedded: Tensor, width: number): void {
  for (const [name, tensor] of [['h', state.high], ['l', state.low]] as const) {
    if (tensor.rank !== 2 || tensor.shape[1] !== width
      || tensor.shape[0] !== embedded.shape[0]) {
      throw new ShapeError(`reasoner state ${name}`, `[${embedded.shape[0]}, ${width}]`,
        tensor.shape);
    }
  }
}

/** The deterministic half of a transition: the refined low level and the proposal u. */
export interface Proposal {
  proposal: Tensor2D;
  low: Tensor2D;
}

/**
 * lowSteps refinements of l, then the high-level proposal u; no noise. embedded e: [B*P, D];
 * the caller scopes memory (tf.tidy).
 */
export function propose(model: ReasonerModel, state: ReasonerState, embedded: Tensor2D,
  batch: number): Proposal {
  const { params, recursion } = model;
  checkState(state, embedded, model.shape.width);
  let low = state.low;
  const highWithInput = state.high.add(embedded);
  for (let step = 0; step < recursion.lowSteps; step++) {
    low = mixingBlock(params.low, low, highWithInput, batch);
  }
  return { proposal: mixingBlock(params.high, state.high, low, batch), low };
}

/** The stochastic half: h = u + eps, with eps from `noise`. */
export function perturb(model: ReasonerModel, { proposal, low }: Proposal,
  noise: NoiseSource): TransitionResult {
  const { params, recursion } = model;
  if (noise.kind === 'none' || params.guidance === undefined) {
    return { state: { high: proposal, low } };
  }
  const prior = priorNoise(params.guidance.prior, proposal, recursion);
  if (noise.kind === 'prior') {
    return { state: { high: proposal.add(drawNoise(prior, noise.standard)), low }, prior };
  }
  const posterior = posteriorNoise(params.guidance.posterior, proposal, noise.answers,
    recursion);
  const high = proposal.add(drawNoise(posterior, noise.standard)) as Tensor2D;
  return { state: { high, low }, prior, posterior };
}

/**
 * state (h, l) -> next state. embedded e: [B*P, D]; the caller scopes memory (tf.tidy) and
 * keeps what it needs from the result.
 */
export function transition(model: ReasonerModel, state: ReasonerState, embedded: Tensor2D,
  noise: NoiseSource, batch: number): TransitionResult {
  return perturb(model, propose(model, state, embedded, batch), noise);
}
