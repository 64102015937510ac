// The noise of the stochastic high-level update h = u + eps: a prior p(eps | u) used at
// inference and a posterior q(eps | u, y) that also sees the answer during training.
import { tf, type Tensor, type Tensor2D } from '../../backend/index.js';
import type { Gaussian } from '../../latents/index.js';
import type { GuidanceHeadParams } from './params.js';

/** The clamp that keeps exp(log sigma) finite. */
export interface SigmaRange {
  logSigmaMin: number;
  logSigmaMax: number;
}

/** x: [N, Din] -> a diagonal Gaussian over eps with mu and logVar each [N, D]. */
function noiseGaussian(head: GuidanceHeadParams, x: Tensor2D, range: SigmaRange): Gaussian {
  const hidden = tf.relu(tf.matMul(x, head.hidden as Tensor as Tensor2D)
    .add(head.hiddenBias)) as Tensor2D;
  const mu = tf.matMul(hidden, head.mean as Tensor as Tensor2D).add(head.meanBias);
  const logSigma = tf.clipByValue(tf.matMul(hidden, head.logSigma as Tensor as Tensor2D)
    .add(head.logSigmaBias), range.logSigmaMin, range.logSigmaMax);
  return { mu, logVar: logSigma.mul(2) };
}

/** p(eps | u). proposal u: [B*P, D] -> Gaussian of [B*P, D]. */
export function priorNoise(head: GuidanceHeadParams, proposal: Tensor2D,
  range: SigmaRange): Gaussian {
  return noiseGaussian(head, proposal, range);
}

/**
 * q(eps | u, y), reading u and the embedded answer side by side (a sum let the posterior mean
 * run away in other reports). proposal, answers: [B*P, D] -> Gaussian of [B*P, D].
 */
export function posteriorNoise(head: GuidanceHeadParams, proposal: Tensor2D,
  answers: Tensor2D, range: SigmaRange): Gaussian {
  return noiseGaussian(head, tf.concat([proposal, answers], 1) as Tensor2D, range);
}

/** eps = mu + sigma * standard, differentiable in mu and sigma. All [N, D]. */
export function drawNoise(gaussian: Gaussian, standard: Tensor): Tensor {
  return gaussian.mu.add(gaussian.logVar.mul(0.5).exp().mul(standard));
}
