// The input encoder e = f_enc(x) (token plus position embeddings), the fixed starting state,
// and the answer embedding the posterior reads.
// NOTE: lookups are one-hot products and repeats are broadcast sums: on wasm, gather and
// tile run as slow generic kernels (about 15 ms each for a 64-row batch), a product in 0.5.
import { tf, type Tensor, type Tensor2D } from '../../backend/index.js';
import { ShapeError } from '../../errors.js';
import type { ReasonerParams } from './params.js';

function checkTokens(what: string, tokens: Tensor, positions: number): [number, number] {
  if (tokens.rank !== 2 || tokens.dtype !== 'int32' || tokens.shape[1] !== positions) {
    throw new ShapeError(what, `[B, ${positions}] int32`, tokens.shape);
  }
  return tokens.shape as [number, number];
}

function lookUp(table: Tensor, tokens: Tensor): Tensor2D {
  const oneHot = tf.oneHot(tokens.reshape([-1]), table.shape[0]) as Tensor2D;
  return tf.matMul(oneHot, table as Tensor2D);
}

/** [P, D] repeated for every row of a batch: [B*P, D]. */
function repeatRows(perPosition: Tensor, batch: number): Tensor2D {
  const [positions, width] = perPosition.shape;
  return tf.zeros([batch, 1, 1]).add(perPosition).reshape([batch * positions, width]) as Tensor2D;
}

/** Embedded inputs, re-injected at every low-level step. tokens: [B, P] int32 -> [B*P, D]. */
export function embedInputs(params: ReasonerParams, tokens: Tensor): Tensor2D {
  const [positions, width] = params.positionEmbedding.shape;
  const [batch] = checkTokens('reasoner input tokens', tokens, positions);
  return tf.tidy(() => lookUp(params.tokenEmbedding, tokens).reshape([batch, positions, width])
    .add(params.positionEmbedding).reshape([batch * positions, width]) as Tensor2D);
}

/**
 * Embedded answers for the posterior. tokens: [B, P] int32, with outputVocab at positions
 * that hold no answer -> [B*P, D].
 */
export function embedAnswers(params: ReasonerParams, tokens: Tensor): Tensor2D {
  const guidance = params.guidance;
  if (guidance === undefined) {
    throw new ShapeError('answer embedding of a deterministic reasoner', 'none', tokens.shape);
  }
  checkTokens('reasoner answer tokens', tokens, params.positionEmbedding.shape[0]);
  return tf.tidy(() => lookUp(guidance.answerEmbedding, tokens));
}

/** The fixed starting state (h_0, l_0) repeated for each of `batch` rows: each [B*P, D]. */
export function initialState(params: ReasonerParams, batch: number):
  { high: Tensor2D; low: Tensor2D } {
  return tf.tidy(() => ({
    high: repeatRows(params.initialHigh, batch),
    low: repeatRows(params.initialLow, batch),
  }));
}
