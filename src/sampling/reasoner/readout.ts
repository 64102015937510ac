// The output head: the answer is read from the high-level state h alone.
import { tf, type Tensor2D } from '../../backend/index.js';
import { rmsNorm } from '../../decoder/layers.js';
import { ShapeError } from '../../errors.js';
import type { ReasonerModel } from './model.js';

/** Logits of every answer cell. high h: [B*P, D] -> [B*outputLength, V]. */
export function answerLogits(model: ReasonerModel, high: Tensor2D, batch: number): Tensor2D {
  const { layout, params } = model;
  const { positions, answerOffset, outputLength } = layout;
  const width = high.shape[1];
  if (high.rank !== 2 || high.shape[0] !== batch * positions) {
    throw new ShapeError('reasoner readout h', `[${batch * positions}, D]`, high.shape);
  }
  let cells = high;
  if (answerOffset > 0 || outputLength !== positions) {
    cells = high.reshape([batch, positions, width])
      .slice([0, answerOffset, 0], [batch, outputLength, width])
      .reshape([batch * outputLength, width]) as Tensor2D;
  }
  const normed = rmsNorm(cells, params.readoutNorm) as Tensor2D;
  return tf.matMul(normed, params.readout as unknown as Tensor2D)
    .add(params.readoutBias) as Tensor2D;
}
