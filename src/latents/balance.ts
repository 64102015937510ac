// KL balancing: the KL between posterior and prior split into a part that trains only the
// prior and a part that trains only the posterior, through a zero-gradient identity.
import { tf, type Tensor } from '../backend/index.js';
import { klBetween, type Gaussian } from './gaussian.js';

// NOTE: TensorFlow.js has no public stop-gradient op; an identity whose gradient is zero
// does the same inside a gradient closure.
const blockGradient = tf.customGrad((...args) => {
  const x = args[0] as Tensor;
  return { value: x.clone(), gradFunc: (dy: Tensor) => tf.zerosLike(dy) };
});

/** x unchanged in value; no gradient flows back through it. Any shape. */
export function stopGradient(x: Tensor): Tensor {
  return blockGradient(x);
}

/** Both parameters of a Gaussian behind stopGradient. */
export function stopGaussian(gaussian: Gaussian): Gaussian {
  return { mu: stopGradient(gaussian.mu), logVar: stopGradient(gaussian.logVar) };
}

/**
 * balance * KL(sg q || p) + (1 - balance) * KL(q || sg p) per element, sg a stop-gradient.
 * Its value equals KL(q || p); `balance` of the gradient reaches the prior and the rest the
 * posterior, so the prior learns to predict the posterior faster than the posterior is
 * pulled back towards the prior. Same shape as the inputs.
 */
export function balancedKl(q: Gaussian, p: Gaussian, balance: number): Tensor {
  return tf.tidy(() => {
    const trainsPrior = klBetween(stopGaussian(q), p);
    const trainsPosterior = klBetween(q, stopGaussian(p));
    return trainsPrior.mul(balance).add(trainsPosterior.mul(1 - balance));
  });
}
