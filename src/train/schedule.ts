// The outer learning-rate schedule: linear warm-up, then a cosine decay to a floor.

/** Rate at `step` (0-based) of `steps`: warm-up to `lr`, then cosine down to `minLr`. */
export function learningRate(step: number, steps: number, lr: number, minLr: number,
  warmupSteps: number): number {
  if (step < warmupSteps) return lr * (step + 1) / warmupSteps;
  const decaySteps = Math.max(1, steps - warmupSteps);
  const progress = Math.min(1, (step - warmupSteps) / decaySteps);
  return minLr + (lr - minLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
}
