// KL balancing: the value is the plain KL, and the zero-gradient identity splits its
// gradient between prior and posterior in the stated shares.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf, type Tensor } from '../../src/backend/index.js';
import { balancedKl, klBetween, stopGradient } from '../../src/latents/index.js';

beforeAll(async () => {
  await initBackend('cpu');
});

// q = N(1, exp(0.5)), p = N(-0.5, exp(-0.3)), one element each.
const muQ = 1;
const logVarQ = 0.5;
const muP = -0.5;
const logVarP = -0.3;

/** Gradients of f(muQ, logVarQ, muP, logVarP) with respect to the four, as numbers. */
function gradientsOf(f: (mq: Tensor, lq: Tensor, mp: Tensor, lp: Tensor) => Tensor) {
  const inputs = [muQ, logVarQ, muP, logVarP].map((v) => tf.scalar(v));
  const grads = tf.grads((a, b, c, d) => f(a, b, c, d).sum())(inputs);
  return grads.map((g) => g.dataSync()[0]);
}

describe('stopGradient', () => {
  it('should pass the value and block the gradient when used inside a gradient', () => {
    const x = tf.tensor1d([2, -3]);
    expect(Array.from(stopGradient(x).dataSync())).toEqual([2, -3]);
    const gradient = tf.grad((v: Tensor) => stopGradient(v).mul(v).sum())(x);
    // d/dx (sg(x) * x) = sg(x): only the second factor carries a gradient.
    expect(Array.from(gradient.dataSync())).toEqual([2, -3]);
  });
});

describe('balancedKl', () => {
  const plain = (mq: Tensor, lq: Tensor, mp: Tensor, lp: Tensor) =>
    klBetween({ mu: mq, logVar: lq }, { mu: mp, logVar: lp });
  const balanced = (share: number) => (mq: Tensor, lq: Tensor, mp: Tensor, lp: Tensor) =>
    balancedKl({ mu: mq, logVar: lq }, { mu: mp, logVar: lp }, share);

  it('should equal KL(q || p) in value when any balance is used', () => {
    const q = { mu: tf.scalar(muQ), logVar: tf.scalar(logVarQ) };
    const p = { mu: tf.scalar(muP), logVar: tf.scalar(logVarP) };
    // Closed form: 0.5 (lvp - lvq + (exp(lvq) + (mq - mp)^2) / exp(lvp) - 1).
    const expected = 0.5 * (logVarP - logVarQ
      + (Math.exp(logVarQ) + (muQ - muP) ** 2) / Math.exp(logVarP) - 1);
    for (const share of [0, 0.8, 1]) {
      expect(balancedKl(q, p, share).dataSync()[0]).toBeCloseTo(expected, 5);
    }
  });

  it('should give the posterior no gradient when balance is 1 (KL of sg q against p)', () => {
    const [gMuQ, gLogVarQ, gMuP, gLogVarP] = gradientsOf(balanced(1));
    const full = gradientsOf(plain);
    expect(gMuQ).toBe(0);
    expect(gLogVarQ).toBe(0);
    expect(gMuP).toBeCloseTo(full[2], 6);
    expect(gLogVarP).toBeCloseTo(full[3], 6);
  });

  it('should split the gradient 0.8 to the prior and 0.2 to the posterior when 0.8', () => {
    const split = gradientsOf(balanced(0.8));
    const full = gradientsOf(plain);
    expect(split[0]).toBeCloseTo(0.2 * full[0], 6);
    expect(split[1]).toBeCloseTo(0.2 * full[1], 6);
    expect(split[2]).toBeCloseTo(0.8 * full[2], 6);
    expect(split[3]).toBeCloseTo(0.8 * full[3], 6);
    // The toy is not degenerate: every full gradient is far from zero.
    for (const g of full) expect(Math.abs(g)).toBeGreaterThan(0.1);
  });
});
