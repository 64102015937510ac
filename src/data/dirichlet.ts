// Seeded gamma and Dirichlet draws for the synthetic corpus's transition tables. Draws are
// kept as logarithms, so the tiny weights a small concentration produces do not round to 0.
import { normal, type Rng } from '../random.js';

/** A uniform draw in (0, 1): zero excluded so its logarithm is finite. */
function openUniform(rng: Rng): number {
  let u = rng.next();
  while (u === 0) u = rng.next();
  return u;
}

/**
 * log X for X ~ Gamma(shape, 1). Shape >= 1: Marsaglia and Tsang's squeeze-free rejection
 * sampler; shape < 1: the boost X = Y U^(1/shape) with Y ~ Gamma(shape + 1).
 */
export function sampleLogGamma(shape: number, rng: Rng): number {
  if (shape < 1) return sampleLogGamma(shape + 1, rng) + Math.log(openUniform(rng)) / shape;
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(rng);
    const cube = 1 + c * x;
    if (cube <= 0) continue;
    const v = cube * cube * cube;
    if (Math.log(openUniform(rng)) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
      return Math.log(d * v);
    }
  }
}

/** A probability vector of `size` entries from the symmetric Dirichlet(concentration). */
export function sampleDirichlet(size: number, concentration: number, rng: Rng): Float64Array {
  const logs = Float64Array.from({ length: size }, () => sampleLogGamma(concentration, rng));
  const largest = Math.max(...logs);
  const weights = logs.map((value) => Math.exp(value - largest));
  const total = weights.reduce((sum, value) => sum + value, 0);
  return weights.map((value) => value / total);
}
