// Training targets for multi-answer puzzles: each time a puzzle is drawn, its target is a
// uniformly random answer from its solution set, so one input is seen with every answer.
import { DataError } from '../errors.js';
import type { Rng } from '../random.js';
import type { Answer, PuzzleFamily } from './family.js';
import type { PuzzleExample } from './example.js';

/** A uniformly random answer from the example's solution set. */
export function sampleTarget<P>(example: PuzzleExample<P>, rng: Rng): Answer {
  if (example.solutions.length === 0) {
    throw new DataError(`puzzle ${JSON.stringify(example.text)} has no answer to train on`);
  }
  return example.solutions[rng.int(example.solutions.length)];
}

/** Token ids for one batch, row b for the b-th drawn example. */
export interface TokenBatch {
  /** [B][inputLength] input token ids. */
  inputs: number[][];
  /** [B][outputLength] target token ids. */
  targets: number[][];
  /** Which example each row came from. */
  exampleIndices: number[];
}

/** `batchSize` examples drawn uniformly with replacement, each with a freshly sampled target. */
export function sampleTokenBatch<P>(
  family: PuzzleFamily<P>,
  examples: readonly PuzzleExample<P>[],
  batchSize: number,
  rng: Rng,
): TokenBatch {
  if (examples.length === 0) {
    throw new DataError(`${family.name} batch: no examples to draw from; build a dataset first`);
  }
  const batch: TokenBatch = { inputs: [], targets: [], exampleIndices: [] };
  for (let row = 0; row < batchSize; row++) {
    const index = rng.int(examples.length);
    const example = examples[index];
    batch.inputs.push(family.encodeInput(example.puzzle));
    batch.targets.push(family.encodeAnswer(sampleTarget(example, rng)));
    batch.exampleIndices.push(index);
  }
  return batch;
}
