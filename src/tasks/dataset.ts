// Seeded puzzle datasets: N distinct generated puzzles, each with its exact solution set, split
// by input so that no puzzle of the test split was ever seen in training.
import { ConfigError, DataError } from '../errors.js';
import { deriveRng, shuffled, type Rng } from '../random.js';
import type { FamilyName, PuzzleFamily } from './family.js';
import type { PuzzleExample } from './example.js';

/** Shares of the inputs in each split; they must add up to 1. */
export interface SplitFractions {
  train: number;
  valid: number;
  test: number;
}

export const defaultFractions: SplitFractions = { train: 0.8, valid: 0.1, test: 0.1 };

/** What `buildDataset` makes. */
export interface DatasetOptions {
  /** Distinct puzzles to generate, across all splits. */
  count: number;
  /** Fixes every draw: same seed and options, same dataset. */
  seed: number | string;
  /** Split shares (default 0.8 / 0.1 / 0.1). */
  fractions?: SplitFractions;
}

/** Examples in three splits; no input appears in two of them. */
export interface PuzzleSplits<P> {
  train: PuzzleExample<P>[];
  valid: PuzzleExample<P>[];
  test: PuzzleExample<P>[];
}

export interface PuzzleDataset<P> extends PuzzleSplits<P> {
  family: FamilyName;
  seed: number | string;
}

/** Generates `count` puzzles with distinct inputs and splits them. */
export function buildDataset<P>(
  family: PuzzleFamily<P>,
  options: DatasetOptions,
): PuzzleDataset<P> {
  const fractions = checkFractions(options.fractions ?? defaultFractions);
  if (!Number.isInteger(options.count) || options.count < 1) {
    throw new ConfigError(`dataset count ${options.count} must be an integer of at least 1`);
  }
  const examples = generateDistinct(family, options.count, deriveRng(options.seed, 'generate'));
  const splits = splitByInput(examples, fractions, deriveRng(options.seed, 'split'));
  return { family: family.name, seed: options.seed, ...splits };
}

function generateDistinct<P>(
  family: PuzzleFamily<P>,
  count: number,
  rng: Rng,
): PuzzleExample<P>[] {
  const generate = family.generate;
  if (generate === undefined) {
    throw new ConfigError(
      `puzzle family ${family.name} has no generator; load its puzzles from a file instead`,
    );
  }
  // Duplicates are expected when the space of inputs is small; give up well past any
  // reasonable collision rate rather than loop for ever.
  const drawLimit = 20 * count + 1000;
  const seen = new Set<string>();
  const examples: PuzzleExample<P>[] = [];
  for (let draw = 0; draw < drawLimit && examples.length < count; draw++) {
    const { puzzle, solutions } = generate.call(family, rng);
    const text = family.format(puzzle);
    if (seen.has(text)) continue;
    seen.add(text);
    examples.push({ puzzle, text, solutions: solutions.answers, complete: solutions.complete });
  }
  if (examples.length < count) {
    throw new DataError(
      `${family.name} dataset: only ${examples.length} distinct puzzles in ${drawLimit} ` +
        `draws, ${count} asked; ask for fewer or widen the generation options`,
    );
  }
  return examples;
}

/**
 * Splits examples by distinct input: all examples with the same `text` go to one split.
 * Inputs are shuffled first; split sizes are the fractions of the distinct inputs, rounded,
 * with the remainder going to test.
 */
export function splitByInput<P>(
  examples: readonly PuzzleExample<P>[],
  fractions: SplitFractions,
  rng: Rng,
): PuzzleSplits<P> {
  checkFractions(fractions);
  const groups = new Map<string, PuzzleExample<P>[]>();
  for (const example of examples) {
    const group = groups.get(example.text);
    if (group === undefined) groups.set(example.text, [example]);
    else group.push(example);
  }
  const inputs = shuffled([...groups.keys()], rng);
  const trainEnd = Math.round(inputs.length * fractions.train);
  const validEnd = Math.min(inputs.length, trainEnd + Math.round(inputs.length * fractions.valid));
  const take = (keys: string[]) => keys.flatMap((key) => groups.get(key) ?? []);
  return {
    train: take(inputs.slice(0, trainEnd)),
    valid: take(inputs.slice(trainEnd, validEnd)),
    test: take(inputs.slice(validEnd)),
  };
}

function checkFractions(fractions: SplitFractions): SplitFractions {
  const values = [fractions.train, fractions.valid, fractions.test];
  if (values.some((value) => !(value >= 0 && value <= 1))) {
    throw new ConfigError(
      `split fractions ${JSON.stringify(fractions)}: each must be a number in [0, 1]`,
    );
  }
  const sum = values.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-9) {
    throw new ConfigError(
      `split fractions ${JSON.stringify(fractions)} add up to ${sum}; make them add up to 1`,
    );
  }
  return fractions;
}
