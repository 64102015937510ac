// Update rules of the inner loop, applied to the posterior's mean and log-variance with the
// decoder frozen. Written out rather than taken from tf.train so the state is fresh per
// batch, the rate can change per step, and nothing outlives the loop.
import { tf, type Tensor } from '../backend/index.js';

export type InnerOptimizerName = 'sgd' | 'adam' | 'rmsprop';

/** Per-parameter running moments; empty for plain SGD. */
export interface InnerOptimizerState {
  firstMoment?: Tensor;
  secondMoment?: Tensor;
  /** Updates taken so far (for bias correction). */
  count: number;
}

const beta1 = 0.9;
const beta2 = 0.999;
const rmsDecay = 0.9;
const epsilon = 1e-8;

/**
 * One update of `parameter` by `gradient` at rate `lr`. Returns the new parameter and state;
 * the caller disposes the old ones (they may still be needed for a trace). Every rule's step
 * is limited per row to `maxStepNorm` (0: no limit).
 * NOTE: Adam's first step is lr * sign(gradient) in every coordinate, so its KL cost grows
 * with the latent size; that is why plain SGD is the default.
 */
export function innerUpdate(name: InnerOptimizerName, parameter: Tensor, gradient: Tensor,
  state: InnerOptimizerState, lr: number, maxStepNorm = 0):
  { parameter: Tensor; state: InnerOptimizerState } {
  return tf.tidy(() => {
    const count = state.count + 1;
    if (name === 'sgd') {
      return { parameter: parameter.sub(limitStep(gradient.mul(lr), maxStepNorm)),
        state: { count } };
    }
    if (name === 'adam') {
      const first = state.firstMoment === undefined ? gradient.mul(1 - beta1)
        : state.firstMoment.mul(beta1).add(gradient.mul(1 - beta1));
      const second = secondMoment(state, gradient, beta2);
      const step = first.div(1 - beta1 ** count)
        .div(second.div(1 - beta2 ** count).sqrt().add(epsilon));
      return {
        parameter: parameter.sub(limitStep(step.mul(lr), maxStepNorm)),
        state: { firstMoment: first, secondMoment: second, count },
      };
    }
    const second = secondMoment(state, gradient, rmsDecay);
    const step = gradient.div(second.div(1 - rmsDecay ** count).sqrt().add(epsilon));
    return {
      parameter: parameter.sub(limitStep(step.mul(lr), maxStepNorm)),
      state: { secondMoment: second, count },
    };
  });
}

/**
 * Scales each row's step (a row is one sequence: axis 0) down to length `maxStepNorm` when
 * it is longer. step: [B, ...] -> same shape. 0 means no limit.
 */
export function limitStep(step: Tensor, maxStepNorm: number): Tensor {
  if (maxStepNorm <= 0) return step;
  const axes = step.shape.slice(1).map((_, index) => index + 1);
  const norm = step.square().sum(axes, true).sqrt();
  return step.mul(tf.minimum(1, norm.add(1e-12).reciprocal().mul(maxStepNorm)));
}

function secondMoment(state: InnerOptimizerState, gradient: Tensor, decay: number): Tensor {
  const fresh = gradient.square().mul(1 - decay);
  return state.secondMoment === undefined ? fresh : state.secondMoment.mul(decay).add(fresh);
}

/** Frees the state's tensors. */
export function disposeInnerState(state: InnerOptimizerState): void {
  tf.dispose([state.firstMoment, state.secondMoment].filter((t) => t !== undefined));
}

/**
 * The inner rate at step `step` of `steps`: a cosine from `lr` down to `lr / 10`.
 */
export function innerRate(lr: number, step: number, steps: number): number {
  if (steps <= 1) return lr;
  const progress = step / (steps - 1);
  const floor = lr / 10;
  return floor + (lr - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
}
