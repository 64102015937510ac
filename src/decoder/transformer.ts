// The pre-norm Transformer decoder. Each block: causal sliding-window self-attention with
// rotary positions, cross-attention from tokens to that layer's K latent vectors, SwiGLU MLP.
// Legend: B batch, T tokens, L layers, K latents per layer, D width, V vocabulary.
import { rotateHalfActive, tf, type Tensor, type Tensor2D } from '../backend/index.js';
import { ShapeError } from '../errors.js';
import {
  applyRotary, attend, mergeHeads, rmsNorm, rotaryTables, splitHeads, swiglu, windowMask,
  type RotaryTables,
} from './layers.js';
import {
  countParams, createParams, disposeParams, namedParams, type BlockParams,
  type CrossAttentionParams, type DecoderParams, type DecoderShape,
} from './params.js';

/** A decoder: its shape, weights, and the constant tables of each sequence length seen. */
export interface Decoder {
  shape: DecoderShape;
  params: DecoderParams;
  /** Rotary tables and window masks by sequence length; built on first use, kept. */
  constants: Map<number, { rotary: RotaryTables; mask: Tensor2D }>;
}

/**
 * Everything that does not depend on the latents, computed once per batch and reused by
 * every inner step: the residual stream after the embedding and block 0's self-attention,
 * and the queries block 0's cross-attention makes from it.
 */
export interface DecoderPrefix {
  /** [B*T, D] */
  hidden: Tensor2D;
  /** Block 0's cross-attention queries by head, [B*H, T, D/H]; null without latents. */
  firstQueries: Tensor | null;
  batch: number;
  length: number;
}

export function createDecoder(shape: DecoderShape, initStd: number, seed: number): Decoder {
  return { shape, params: createParams(shape, initStd, seed), constants: new Map() };
}

export function disposeDecoder(decoder: Decoder): void {
  disposeParams(decoder.params);
  for (const { rotary, mask } of decoder.constants.values()) {
    tf.dispose([rotary.cos, rotary.sin, rotary.rotateHalf, mask]);
  }
  decoder.constants.clear();
}

/**
 * Every matrix the forward pass multiplies activations by: the rank-2 weights and, on a
 * backend without the rotate-half kernel, the rotary rotation of each sequence length seen.
 */
export function decoderMatrices(decoder: Decoder): Tensor[] {
  const weights = namedParams(decoder.params).map(([, variable]) => variable as Tensor)
    .filter((variable) => variable.rank === 2);
  if (rotateHalfActive()) return weights;
  const rotations = [...decoder.constants.values()].map(({ rotary }) => rotary.rotateHalf);
  return [...weights, ...rotations];
}

export function decoderParameterCount(decoder: Decoder): number {
  return countParams(decoder.params);
}

function constantsFor(decoder: Decoder, length: number) {
  const cached = decoder.constants.get(length);
  if (cached !== undefined) return cached;
  const { width, heads, ropeBase, window } = decoder.shape;
  // NOTE: kept, because the first use usually happens inside a caller's tidy scope.
  const rotary = rotaryTables(length, width, heads, ropeBase);
  const constants = { rotary, mask: windowMask(length, window) };
  for (const tensor of [rotary.cos, rotary.sin, rotary.rotateHalf, constants.mask]) {
    tf.keep(tensor);
  }
  decoder.constants.set(length, constants);
  return constants;
}

function selfAttention(decoder: Decoder, block: BlockParams, x: Tensor2D, batch: number) {
  const { heads } = decoder.shape;
  const { rotary, mask } = constantsFor(decoder, x.shape[0] / batch);
  const normed = rmsNorm(x, block.attentionNorm) as Tensor2D;
  const query = applyRotary(tf.matMul(normed, block.query), rotary, batch);
  const key = applyRotary(tf.matMul(normed, block.key), rotary, batch);
  const value = tf.matMul(normed, block.value);
  const mixed = attend(splitHeads(query, batch, heads), splitHeads(key, batch, heads),
    splitHeads(value, batch, heads), mask);
  return tf.matMul(mergeHeads(mixed, batch), block.output);
}

/** Cross-attention queries by head. x: [B*T, D] -> [B*H, T, D/H]. */
function crossQueries(decoder: Decoder, cross: CrossAttentionParams, x: Tensor2D,
  batch: number): Tensor {
  const query = tf.matMul(rmsNorm(x, cross.norm) as Tensor2D, cross.query);
  return splitHeads(query, batch, decoder.shape.heads);
}

/**
 * x: [B*T, D], latents: [B, K, Dz] -> [B*T, D]. No mask: every token sees all K slots.
 * `queries`, when given, are `crossQueries` of this x, made beforehand.
 */
function crossAttention(decoder: Decoder, cross: CrossAttentionParams, x: Tensor2D,
  latents: Tensor, batch: number, queries: Tensor | null) {
  const { heads } = decoder.shape;
  const [, slots, latentDim] = latents.shape as number[];
  const flat = latents.reshape([batch * slots, latentDim]) as Tensor2D;
  const key = tf.matMul(flat, cross.key);
  const value = tf.matMul(flat, cross.value);
  const mixed = attend(queries ?? crossQueries(decoder, cross, x, batch),
    splitHeads(key, batch, heads), splitHeads(value, batch, heads), null);
  return tf.matMul(mergeHeads(mixed, batch), cross.output);
}

function checkTokens(decoder: Decoder, tokens: Tensor): void {
  if (tokens.rank !== 2 || tokens.dtype !== 'int32') {
    throw new ShapeError('decoder tokens', '[B, T] int32', tokens.shape);
  }
}

/** The latent-free part of the forward pass. tokens: [B, T] int32. */
export function decoderPrefix(decoder: Decoder, tokens: Tensor): DecoderPrefix {
  checkTokens(decoder, tokens);
  const [batch, length] = tokens.shape as [number, number];
  const embedded = tf.gather(decoder.params.embedding, tokens.reshape([batch * length]));
  const first = decoder.params.blocks[0];
  const hidden = embedded.add(selfAttention(decoder, first, embedded as Tensor2D,
    batch)) as Tensor2D;
  const firstQueries = first.cross === undefined ? null
    : crossQueries(decoder, first.cross, hidden, batch);
  return { hidden, firstQueries, batch, length };
}

/**
 * decoderPrefix with its intermediate tensors freed at once; the caller owns the result and
 * frees it with disposePrefix.
 */
export function keptPrefix(decoder: Decoder, tokens: Tensor): DecoderPrefix {
  let prefix: DecoderPrefix | undefined;
  tf.tidy(() => {
    prefix = decoderPrefix(decoder, tokens);
    tf.keep(prefix.hidden);
    if (prefix.firstQueries !== null) tf.keep(prefix.firstQueries);
  });
  return prefix!;
}

/** Frees a prefix's tensors. */
export function disposePrefix(prefix: DecoderPrefix): void {
  tf.dispose(prefix.firstQueries === null ? [prefix.hidden]
    : [prefix.hidden, prefix.firstQueries]);
}

function checkLatents(decoder: Decoder, latents: Tensor | null, batch: number): void {
  const { layers, latentDim, latents: enabled } = decoder.shape;
  if (!enabled) {
    if (latents !== null) throw new ShapeError('latents of an AR decoder', 'none', latents.shape);
    return;
  }
  const shape = latents?.shape ?? [];
  if (latents === null || shape.length !== 4 || shape[0] !== batch || shape[1] !== layers
    || shape[3] !== latentDim) {
    throw new ShapeError('latents', `[${batch}, ${layers}, K, ${latentDim}]`, shape);
  }
}

/**
 * One [B, K, Dz] tensor per layer from [B, L, K, Dz].
 * NOTE: unstack's gradient fails when it has a single output, so one layer is a reshape.
 */
function splitLayers(latents: Tensor): Tensor[] {
  const [batch, layers, slots, latentDim] = latents.shape as number[];
  if (layers === 1) return [latents.reshape([batch, slots, latentDim])];
  return tf.unstack(latents, 1);
}

/**
 * The rest of the forward pass from a prefix: final hidden states after the last RMSNorm.
 * latents: [B, L, K, Dz], or null for the AR baseline -> [B*T, D].
 */
export function decodeFromPrefix(decoder: Decoder, prefix: DecoderPrefix,
  latents: Tensor | null): Tensor2D {
  const { batch } = prefix;
  checkLatents(decoder, latents, batch);
  const perLayer = latents === null ? [] : splitLayers(latents);
  let x = prefix.hidden;
  decoder.params.blocks.forEach((block, layer) => {
    if (layer > 0) x = x.add(selfAttention(decoder, block, x, batch));
    if (block.cross !== undefined && latents !== null) {
      const queries = layer === 0 ? prefix.firstQueries : null;
      x = x.add(crossAttention(decoder, block.cross, x, perLayer[layer], batch, queries));
    }
    x = x.add(swiglu(rmsNorm(x, block.mlpNorm) as Tensor2D, block.gate, block.up, block.down));
  });
  return rmsNorm(x, decoder.params.finalNorm) as Tensor2D;
}

/** Next-token logits from the tied output head. hidden: [B*T, D] -> [B*T, V]. */
export function outputLogits(decoder: Decoder, hidden: Tensor2D): Tensor2D {
  return tf.matMul(hidden, decoder.params.embedding, false, true);
}

/**
 * Negative log-likelihood of each target in nats, from log-softmax (never the log of a
 * possibly tiny probability). logits: [N, V], targets: [N] int32 -> [N].
 * NOTE: a custom gradient (softmax minus one-hot) replaces the generic chain through max
 * and log-sum-exp, whose broadcast comparison is one of the slowest wasm kernels. The
 * normaliser log sum exp(x - max) is -log of the largest probability, which is at least 1/V:
 * so it comes from the softmax kernel (vectorised on wasm) and no Exp kernel runs, which on
 * wasm is ten times slower per element.
 */
export function targetNll(logits: Tensor2D, targets: Tensor): Tensor {
  const [rows, vocab] = logits.shape;
  const oneHot = tf.oneHot(targets.reshape([rows]), vocab);
  const nll = tf.customGrad((...args) => {
    const x = args[0] as Tensor2D;
    const save = args[1] as tf.GradSaveFunc;
    const probabilities = tf.softmax(x);
    const logNormaliser = tf.max(probabilities, 1).log().neg();
    const targetShifted = x.mul(oneHot).sum(1).sub(tf.max(x, 1));
    save([probabilities, oneHot]);
    return {
      value: logNormaliser.sub(targetShifted),
      gradFunc: (dy, saved) => saved[0].sub(saved[1]).mul(dy.reshape([rows, 1])),
    };
  });
  return nll(logits);
}

/**
 * Per-token NLL in nats of `targets` given `tokens` and latents.
 * tokens, targets: [B, T] int32; latents: [B, L, K, Dz] or null -> [B, T].
 */
export function tokenNll(decoder: Decoder, tokens: Tensor, targets: Tensor,
  latents: Tensor | null, prefix?: DecoderPrefix): Tensor {
  const start = prefix ?? decoderPrefix(decoder, tokens);
  const hidden = decodeFromPrefix(decoder, start, latents);
  const nll = targetNll(outputLogits(decoder, hidden), targets);
  return nll.reshape(tokens.shape);
}

/** Logits of every position. tokens: [B, T] int32 -> [B, T, V]. */
export function decoderLogits(decoder: Decoder, tokens: Tensor, latents: Tensor | null): Tensor {
  return tf.tidy(() => {
    const hidden = decodeFromPrefix(decoder, decoderPrefix(decoder, tokens), latents);
    const [batch, length] = tokens.shape as [number, number];
    return outputLogits(decoder, hidden).reshape([batch, length, decoder.shape.vocabSize]);
  });
}

