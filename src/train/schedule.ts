// Schedules of the outer loop: the learning rate (linear warm-up, then a cosine decay to a
// floor) and the KL weight of the inner objective while training warms up.

/** Rate at `step` (0-based) of `steps`: warm-up to `lr`, then cosine down to `minLr`. */
export function learningRate(step: number, steps: number, lr: number, minLr: number,
  warmupSteps: number): number {
  if (step < warmupSteps) return lr * (step + 1) / warmupSteps;
  const decaySteps = Math.max(1, steps - warmupSteps);
  const progress = Math.min(1, (step - warmupSteps) / decaySteps);
  return minLr + (lr - minLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
}

/**
 * KL weight of the inner objective at `step` (0-based): `start` at step 0, rising linearly
 * to 1 at `warmupSteps`, then 1. No warm-up (0 steps): always 1 (Bowman et al., 2016, anneal
 * the KL weight of a text VAE this way so the decoder does not learn to ignore its latent).
 */
export function klWarmupWeight(step: number, warmupSteps: number, start: number): number {
  if (step >= warmupSteps) return 1;
  return start + (1 - start) * step / warmupSteps;
}
