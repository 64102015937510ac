// Training batches for the reasoner: training puzzles drawn with replacement, each with an
// answer drawn uniformly from its solution set, and optionally some rows with a blank input.
import { tf, type Tensor } from '../../backend/index.js';
import type { Rng } from '../../random.js';
import {
  answerTokensOverState, stateTokens, type AnyFamily, type SequenceLayout,
} from '../../sampling/index.js';
import { sampleTarget, sampleTokenBatch, type PuzzleExample } from '../../tasks/index.js';

/** One batch as tensors. */
export interface ReasonerBatch {
  /** [B, P] int32 input tokens over the state positions. */
  tokens: Tensor;
  /** [B, P] int32 answer tokens for the posterior (outputVocab where no answer sits). */
  answers: Tensor;
  /** [B*outputLength] int32 answer tokens the readout is scored on. */
  targets: Tensor;
}

/** Where batches come from. */
export interface BatchSource {
  family: AnyFamily;
  layout: SequenceLayout;
  examples: readonly PuzzleExample<unknown>[];
  /** The blank puzzle and all its answers, when some rows are blank. */
  blank: PuzzleExample<unknown> | null;
  blankShare: number;
}

/** Draws `batchSize` rows from `rng`; the same stream state always gives the same batch. */
export function drawReasonerBatch(source: BatchSource, batchSize: number,
  rng: Rng): ReasonerBatch {
  const { family, layout, examples, blank, blankShare } = source;
  const drawn = sampleTokenBatch(family, examples, batchSize, rng);
  if (blank !== null && blankShare > 0) {
    const blankInput = family.encodeInput(blank.puzzle);
    for (let row = 0; row < batchSize; row++) {
      if (rng.next() >= blankShare) continue;
      drawn.inputs[row] = blankInput;
      drawn.targets[row] = family.encodeAnswer(sampleTarget(blank, rng));
    }
  }
  const positions = layout.positions;
  return {
    tokens: tf.tensor2d(drawn.inputs.map((input) => stateTokens(layout, input)),
      [batchSize, positions], 'int32'),
    answers: tf.tensor2d(drawn.targets.map((target) => answerTokensOverState(layout, target)),
      [batchSize, positions], 'int32'),
    targets: tf.tensor1d(drawn.targets.flat(), 'int32'),
  };
}

export function disposeBatch(batch: ReasonerBatch): void {
  tf.dispose([batch.tokens, batch.answers, batch.targets]);
}
