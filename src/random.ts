// Seeded random streams. Every random draw in the project comes from here, so one run seed
// fixes every stream, and named child streams are independent of each other.
import seedrandom from 'seedrandom';

/** A seeded generator of uniform numbers in [0, 1) whose state can be saved and restored. */
export interface Rng {
  /** The next uniform number in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** A fresh 32-bit seed for a TensorFlow.js random op (which needs an explicit seed). */
  seed(): number;
  /** The generator's state, for checkpoints. */
  state(): RngState;
}

/** The opaque state of an `Rng`, plain JSON. */
export type RngState = { i: number; j: number; S: number[] };

type Arc4 = seedrandom.PRNG & { state(): RngState };

function wrap(generator: Arc4): Rng {
  return {
    next: () => generator.quick(),
    int: (n: number) => Math.floor(generator.quick() * n),
    seed: () => generator.int32() >>> 0,
    state: () => generator.state(),
  };
}

/** A generator seeded by a number or string. Same seed, same sequence. */
export function createRng(seed: number | string): Rng {
  return wrap(seedrandom(String(seed), { state: true }) as Arc4);
}

/** A generator restored from a saved state; it continues exactly where the saved one was. */
export function restoreRng(state: RngState): Rng {
  return wrap(seedrandom('', { state }) as Arc4);
}

/**
 * A child stream derived from a parent seed and a name, e.g. `deriveRng(seed, 'init')`.
 * Different names give independent streams; the same name gives the same stream.
 */
export function deriveRng(seed: number | string, ...names: (string | number)[]): Rng {
  return createRng([seed, ...names].join('/'));
}

/** Fisher–Yates shuffle of a copy of `items`. */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const copy = items.slice();
  for (let i = copy.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** A standard normal draw (Box–Muller), for code that samples outside tensors. */
export function normal(rng: Rng): number {
  const u = Math.max(rng.next(), 1e-12);
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
