// One reasoning module (f_L or f_H): the sum of its two inputs, a token-mixing MLP across the
// P positions, a channel MLP, and an RMSNorm on the output that keeps the recurrent state at
// unit scale however many times the module is applied.
// NOTE: ReLU MLPs, not SwiGLU: weight products dominate a step on one core, and SwiGLU needs
// three per MLP where ReLU needs two.
import { tf, type Tensor, type Tensor2D } from '../../backend/index.js';
import { rmsNorm } from '../../decoder/layers.js';
import type { MixingBlockParams } from './params.js';

/**
 * An MLP applied along the positions of each sequence and channel, shared over channels.
 * x: [B*P, D] -> [B*P, D].
 */
function mixPositions(block: MixingBlockParams, x: Tensor2D, batch: number): Tensor2D {
  const [rows, width] = x.shape;
  const positions = rows / batch;
  // [B*P, D] -> [B*D, P], so one 2-D product mixes every channel's positions.
  const across = x.reshape([batch, positions, width]).transpose([0, 2, 1])
    .reshape([batch * width, positions]) as Tensor2D;
  const hidden = tf.relu(tf.matMul(across, block.mixIn as Tensor as Tensor2D)
    .add(block.mixInBias)) as Tensor2D;
  const mixed = tf.matMul(hidden, block.mixOut as Tensor as Tensor2D).add(block.mixOutBias);
  return mixed.reshape([batch, width, positions]).transpose([0, 2, 1])
    .reshape([rows, width]) as Tensor2D;
}

/** A ReLU MLP along the channels of each position. x: [B*P, D] -> [B*P, D]. */
function mixChannels(block: MixingBlockParams, x: Tensor2D): Tensor2D {
  const hidden = tf.relu(tf.matMul(x, block.mlpIn as Tensor as Tensor2D)) as Tensor2D;
  return tf.matMul(hidden, block.mlpOut as Tensor as Tensor2D);
}

/**
 * f(a, b) for a module: mixes positions and channels of a + b, pre-norm residual, normalised
 * output. a, b: [B*P, D] -> [B*P, D].
 */
export function mixingBlock(block: MixingBlockParams, a: Tensor, b: Tensor,
  batch: number): Tensor2D {
  let z = a.add(b) as Tensor2D;
  z = z.add(mixPositions(block, rmsNorm(z, block.mixNorm) as Tensor2D, batch));
  z = z.add(mixChannels(block, rmsNorm(z, block.mlpNorm) as Tensor2D));
  return rmsNorm(z, block.outNorm) as Tensor2D;
}
