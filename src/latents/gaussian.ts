// Diagonal Gaussians over latent vectors: the per-sequence posterior, the standard normal
// prior, reparameterised samples and closed-form KL divergences.
import { tf, type Tensor } from '../backend/index.js';
import { ShapeError } from '../errors.js';

/** A diagonal Gaussian N(mu, diag exp(logVar)); both tensors share one shape. */
export type Gaussian<T extends Tensor = Tensor> = {
  mu: T;
  logVar: T;
};

/** Throws ShapeError unless `mu` and `logVar` have the same shape. */
export function checkGaussian(what: string, gaussian: Gaussian): void {
  const { mu, logVar } = gaussian;
  if (mu.shape.length !== logVar.shape.length
    || mu.shape.some((size, axis) => size !== logVar.shape[axis])) {
    throw new ShapeError(`${what}.logVar`, `[${mu.shape.join(', ')}] (as mu)`, logVar.shape);
  }
}

/**
 * The starting posterior of a batch: mean 0 and log-variance `initLogVar` everywhere.
 * @param shape usually [B, L, K, latentDim]
 */
export function initialPosterior(shape: number[], initLogVar: number): Gaussian {
  return { mu: tf.zeros(shape), logVar: tf.fill(shape, initLogVar) };
}

/** Log-variance clipped to [min, max], so exp(logVar) and its square stay finite. */
export function clampLogVar(logVar: Tensor, min: number, max: number): Tensor {
  return tf.clipByValue(logVar, min, max);
}

/** Standard normal noise of a shape from an explicit seed (same seed, same draw). */
export function standardNormal(shape: number[], seed: number): Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', seed);
}

/**
 * Reparameterised sample z = mu + exp(logVar / 2) * noise; differentiable in mu and logVar.
 * All three tensors share one shape.
 */
export function reparameterise(gaussian: Gaussian, noise: Tensor): Tensor {
  checkGaussian('reparameterise', gaussian);
  return tf.tidy(() => gaussian.mu.add(gaussian.logVar.mul(0.5).exp().mul(noise)));
}

/**
 * KL(N(mu, exp(logVar)) || N(0, 1)) per element, in nats:
 * 0.5 (mu^2 + exp(logVar) - 1 - logVar). Same shape as the inputs.
 */
export function klToStandardNormal(gaussian: Gaussian): Tensor {
  checkGaussian('klToStandardNormal', gaussian);
  return tf.tidy(() => {
    const { mu, logVar } = gaussian;
    return mu.square().add(logVar.exp()).sub(1).sub(logVar).mul(0.5);
  });
}

/**
 * KL(q || p) per element between two diagonal Gaussians, in nats:
 * 0.5 (logVarP - logVarQ + (exp(logVarQ) + (muQ - muP)^2) / exp(logVarP) - 1).
 */
export function klBetween(q: Gaussian, p: Gaussian): Tensor {
  checkGaussian('klBetween q', q);
  checkGaussian('klBetween p', p);
  return tf.tidy(() => {
    const spread = q.logVar.exp().add(q.mu.sub(p.mu).square());
    return p.logVar.sub(q.logVar).add(spread.mul(p.logVar.neg().exp())).sub(1).mul(0.5);
  });
}
