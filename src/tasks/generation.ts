// Helpers every generator shares: checking its options and drawing until a puzzle fits them.
import { ConfigError, DataError } from '../errors.js';

/** How many draws a generator makes before it declares its options unsatisfiable. */
export const maxGenerationAttempts = 10_000;

/** Throws ConfigError unless `low..high` is an integer range with `floor <= low <= high`. */
export function checkIntegerRange(
  owner: string,
  names: { low: string; high: string },
  range: { low: number; high: number },
  floor: number,
): void {
  for (const [name, value] of [[names.low, range.low], [names.high, range.high]] as const) {
    if (!Number.isInteger(value) || value < floor) {
      throw new ConfigError(`${owner}: ${name} is ${value}; use an integer of at least ${floor}`);
    }
  }
  if (range.low > range.high) {
    throw new ConfigError(
      `${owner}: ${names.low} (${range.low}) exceeds ${names.high} (${range.high}); ` +
        `swap them or widen the range`,
    );
  }
}

/** Throws ConfigError unless `max` is a usable enumeration cap. */
export function checkSolutionCap(owner: string, max: number): void {
  if (!Number.isInteger(max) || max < 1) {
    throw new ConfigError(`${owner}: solution cap ${max} must be an integer of at least 1`);
  }
}

/**
 * Calls `draw` until it returns a puzzle (it returns null for a rejected draw). Throws
 * DataError after `maxGenerationAttempts` rejections, since the options then admit too few.
 */
export function drawUntilAccepted<T>(owner: string, draw: () => T | null): T {
  for (let attempt = 0; attempt < maxGenerationAttempts; attempt++) {
    const result = draw();
    if (result !== null) return result;
  }
  throw new DataError(
    `${owner}: no puzzle met the generation options in ${maxGenerationAttempts} draws; ` +
      `widen the solution-count or clue range`,
  );
}
