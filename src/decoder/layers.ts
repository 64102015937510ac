// The decoder's building blocks as plain functions of tensors: RMSNorm, SwiGLU, rotary
// positions and multi-head attention. Activations stay 2-D ([B*T, D]) around every weight
// product, because a 3-D by 2-D product is slow on wasm and its gradient fails.
import {
  rotateHalf, rotateHalfActive, tf, type Tensor, type Tensor2D,
} from '../backend/index.js';

const rmsEpsilon = 1e-5;

/** x / rms(x) * gain over the last axis. x: [N, D], gain: [D] -> [N, D]. */
export function rmsNorm(x: Tensor, gain: Tensor): Tensor {
  const meanSquare = x.square().mean(-1, true);
  return x.mul(meanSquare.add(rmsEpsilon).rsqrt()).mul(gain);
}

/**
 * silu(gated) * up, the gate of SwiGLU, with a hand-written gradient.
 * gated, up: [N, F] -> [N, F].
 * NOTE: the generic gradient through sigmoid and two products takes eight full-size kernels
 * and keeps copies for three recorded steps; this one takes six kernels and one step.
 */
export function gatedUnit(gated: Tensor, up: Tensor): Tensor {
  const unit = tf.customGrad((...args) => {
    const [g, u] = args as Tensor[];
    const save = args[2] as unknown as tf.GradSaveFunc;
    const sigma = tf.sigmoid(g);
    const activated = g.mul(sigma);
    save([sigma, activated, u]);
    return {
      value: activated.mul(u),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [s, a, v] = saved;
        // d silu(g) / dg = s + g s (1 - s) = s + a - a s
        const slope = s.add(a).sub(a.mul(s));
        return [dy.mul(v).mul(slope), dy.mul(a)];
      },
    };
  });
  return unit(gated, up);
}

/** SwiGLU MLP: (silu(x Wg) * (x Wu)) Wd. x: [N, D] -> [N, D]. */
export function swiglu(x: Tensor2D, gate: Tensor, up: Tensor, down: Tensor): Tensor2D {
  const hidden = gatedUnit(tf.matMul(x, gate as Tensor2D), tf.matMul(x, up as Tensor2D));
  return tf.matMul(hidden as Tensor2D, down as Tensor2D);
}

/** Constant tensors rotary positions need for sequences of `length` tokens. */
export interface RotaryTables {
  /** cos(position * frequency), [T, D], each head's frequencies repeated per head. */
  cos: Tensor2D;
  /** sin(position * frequency), [T, D]. */
  sin: Tensor2D;
  /** Block-diagonal [D, D] matrix mapping each head's (a, b) halves to (-b, a). */
  rotateHalf: Tensor2D;
  /** Columns per head, D / heads. */
  headSize: number;
}

/**
 * Rotary tables for `length` positions, `heads` heads of size width / heads.
 * NOTE: the matrix form of rotate-half serves backends without the project's kernel: one fast
 * product there beats slices and concatenations, which are slow kernels on wasm.
 */
export function rotaryTables(length: number, width: number, heads: number,
  base: number): RotaryTables {
  const headSize = width / heads;
  const half = headSize / 2;
  const cos = new Float32Array(length * width);
  const sin = new Float32Array(length * width);
  for (let position = 0; position < length; position++) {
    for (let column = 0; column < width; column++) {
      const frequency = base ** (-(2 * ((column % headSize) % half)) / headSize);
      cos[position * width + column] = Math.cos(position * frequency);
      sin[position * width + column] = Math.sin(position * frequency);
    }
  }
  const rotation = new Float32Array(width * width);
  for (let head = 0; head < heads; head++) {
    for (let j = 0; j < half; j++) {
      const low = head * headSize + j;
      const high = low + half;
      rotation[high * width + low] = -1;
      rotation[low * width + high] = 1;
    }
  }
  return {
    cos: tf.tensor2d(cos, [length, width]),
    sin: tf.tensor2d(sin, [length, width]),
    rotateHalf: tf.tensor2d(rotation, [width, width]),
    headSize,
  };
}

/**
 * Rotates queries or keys by position. x: [B*T, D] -> [B*T, D]. The rotate-half kernel and
 * the product with `tables.rotateHalf` give the same values; the kernel only moves them.
 */
export function applyRotary(x: Tensor2D, tables: RotaryTables, batch: number): Tensor2D {
  const [length, width] = tables.cos.shape;
  const turned = rotateHalfActive() ? rotateHalf(x, tables.headSize)
    : tf.matMul(x, tables.rotateHalf);
  const rotated = turned.reshape([batch, length, width]);
  const plain = x.reshape([batch, length, width]);
  return plain.mul(tables.cos).add(rotated.mul(tables.sin)).reshape([batch * length, width]);
}

/**
 * Additive mask of a causal sliding window: position i sees j when 0 <= i - j < window.
 * [T, T] with 0 where attention is allowed and -1e9 elsewhere.
 */
export function windowMask(length: number, window: number): Tensor2D {
  const mask = new Float32Array(length * length).fill(-1e9);
  for (let i = 0; i < length; i++) {
    for (let j = Math.max(0, i - window + 1); j <= i; j++) mask[i * length + j] = 0;
  }
  return tf.tensor2d(mask, [length, length]);
}

/** [B*N, D] -> [B*H, N, D/H]: one row block per (sequence, head). */
export function splitHeads(x: Tensor, batch: number, heads: number): Tensor {
  const [rows, width] = x.shape;
  const length = rows / batch;
  return x.reshape([batch, length, heads, width / heads])
    .transpose([0, 2, 1, 3])
    .reshape([batch * heads, length, width / heads]);
}

/** [B*H, N, D/H] -> [B*N, D]: the inverse of splitHeads. */
export function mergeHeads(x: Tensor, batch: number): Tensor2D {
  const [batchHeads, length, headSize] = x.shape;
  const heads = batchHeads / batch;
  return x.reshape([batch, heads, length, headSize])
    .transpose([0, 2, 1, 3])
    .reshape([batch * length, heads * headSize]);
}

/**
 * Scaled dot-product attention per (sequence, head).
 * query: [B*H, Tq, d], key and value: [B*H, Tk, d], mask: [Tq, Tk] additive or null
 * -> [B*H, Tq, d].
 */
export function attend(query: Tensor, key: Tensor, value: Tensor, mask: Tensor | null): Tensor {
  const headSize = query.shape[2] as number;
  let scores = tf.matMul(query as tf.Tensor3D, key as tf.Tensor3D, false, true)
    .mul(1 / Math.sqrt(headSize));
  if (mask !== null) scores = scores.add(mask);
  return tf.matMul(tf.softmax(scores) as tf.Tensor3D, value as tf.Tensor3D);
}
