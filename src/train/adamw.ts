// AdamW for the decoder (decoupled weight decay on matrices only) with global-norm
// clipping. Its moments are plain tensors so checkpoints can save and restore them exactly.
import { tf, type Tensor, type Variable } from '../backend/index.js';

export interface AdamWSettings {
  beta1: number;
  beta2: number;
  weightDecay: number;
  /** Global gradient-norm clip; 0 turns it off. */
  gradClip: number;
}

/** Moments by parameter name, and the number of updates taken. */
export interface AdamWState {
  step: number;
  firstMoment: Map<string, Tensor>;
  secondMoment: Map<string, Tensor>;
}

const epsilon = 1e-8;

export function createAdamWState(): AdamWState {
  return { step: 0, firstMoment: new Map(), secondMoment: new Map() };
}

export function disposeAdamWState(state: AdamWState): void {
  tf.dispose([...state.firstMoment.values(), ...state.secondMoment.values()]);
  state.firstMoment.clear();
  state.secondMoment.clear();
}

/** sqrt of the sum of squares of every gradient, a scalar tensor. */
export function globalNorm(gradients: Tensor[]): Tensor {
  return tf.tidy(() => tf.addN(gradients.map((g) => g.square().sum())).sqrt());
}

/**
 * Clips the gradients to `settings.gradClip` in global norm and applies one AdamW update in
 * place. `norm` is the gradients' global norm (computed once by the caller, who also reads
 * it). Does not dispose the gradients.
 */
export function adamWUpdate(params: [string, Variable][], gradients: Map<string, Tensor>,
  state: AdamWState, settings: AdamWSettings, lr: number, norm: Tensor): void {
  state.step += 1;
  const { beta1, beta2, weightDecay, gradClip } = settings;
  const firstCorrection = 1 - beta1 ** state.step;
  const secondCorrection = 1 - beta2 ** state.step;
  const clipScale = tf.tidy(() => gradClip > 0
    ? tf.minimum(1, tf.scalar(gradClip).div(norm.add(1e-6)))
    : tf.scalar(1));

  for (const [name, variable] of params) {
    const gradient = gradients.get(name);
    if (gradient === undefined) continue;
    const updated = tf.tidy(() => {
      const clipped = gradient.mul(clipScale);
      const first = moment(state.firstMoment.get(name), clipped, beta1);
      const second = moment(state.secondMoment.get(name), clipped.square(), beta2);
      let step = first.div(firstCorrection)
        .div(second.div(secondCorrection).sqrt().add(epsilon));
      // NOTE: decay only matrices; norm gains are rank 1 and would be pulled towards 0.
      if (variable.rank >= 2 && weightDecay > 0) step = step.add(variable.mul(weightDecay));
      variable.assign(variable.sub(step.mul(lr)));
      return { first, second };
    });
    tf.dispose([state.firstMoment.get(name), state.secondMoment.get(name)]
      .filter((t) => t !== undefined));
    state.firstMoment.set(name, updated.first);
    state.secondMoment.set(name, updated.second);
  }
  clipScale.dispose();
}

function moment(previous: Tensor | undefined, value: Tensor, beta: number): Tensor {
  return previous === undefined ? value.mul(1 - beta) : previous.mul(beta).add(value.mul(1 - beta));
}
