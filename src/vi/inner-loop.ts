// The fast inner loop of variational inference: for each sequence of a batch, gradient steps
// on the mean and log-variance of its Gaussian posterior, the decoder frozen. Minimises
// NLL(x | z) + KL(q || p) with z = mu + exp(logVar / 2) * noise (Kong et al., 2025, Alg. 1).
import {
  holdTransposes, releaseTransposes, tf, type Scalar, type Tensor, type TransposeHold,
} from '../backend/index.js';
import {
  decoderMatrices, disposePrefix, keptPrefix, tokenNll, type Decoder, type DecoderPrefix,
} from '../decoder/index.js';
import { ShapeError } from '../errors.js';
import {
  clampLogVar, initialPosterior, klToStandardNormal, reparameterise, standardNormal,
  type Gaussian,
} from '../latents/index.js';
import type { Rng } from '../random.js';
import {
  disposeInnerState, innerRate, innerUpdate, type InnerOptimizerName, type InnerOptimizerState,
} from './inner-optimizer.js';

/** Everything the inner loop needs besides the decoder and the batch. */
export interface InnerLoopSettings {
  steps: number;
  lr: number;
  optimizer: InnerOptimizerName;
  /** 'token' divides each sequence's objective by its scored tokens. */
  gradientScale: 'sequence' | 'token';
  /** Longest update of one sequence's mean or log-variance; 0: no limit. */
  maxStepNorm: number;
  resampleNoise: boolean;
  latentsPerLayer: number;
  initLogVar: number;
  logVarMin: number;
  logVarMax: number;
  /**
   * Weight w of the KL in the objective; 1 (the default) is the ELBO. Below 1 only while
   * training warms up: the loop then minimises NLL / w + KL, which has the minimiser of
   * NLL + w KL, and a step at rate lr reaches it as fast as at w = 1.
   */
  klWeight?: number;
}

/** A batch to infer latents for. Only positions with weight 1 enter the NLL. */
export interface InferenceBatch {
  /** [B, T] int32 */
  tokens: Tensor;
  /** [B, T] int32: the next token at each position. */
  targets: Tensor;
  /** [T] of 0 and 1 (the same for every row), or null to score every position. */
  weights: Tensor | null;
}

export interface InnerLoopResult {
  /** [B, L, K, Dz], owned by the caller. */
  posterior: Gaussian;
  /** Per-token objective (nats) at iterates 0..steps, split into NLL and KL; [steps + 1]. */
  trace: { nll: Tensor; kl: Tensor } | null;
}

/** Sum over the scored positions of each row. nll: [B, T] -> [B]. */
export function scoredSum(nll: Tensor, weights: Tensor | null): Tensor {
  return weights === null ? nll.sum(1) : nll.mul(weights).sum(1);
}

/** The number of positions each row scores. */
export function scoredCount(batch: InferenceBatch): number {
  if (batch.weights === null) return batch.tokens.shape[1] as number;
  return tf.tidy(() => batch.weights!.sum().arraySync() as number);
}

/** Per-sequence KL of a posterior to the standard normal. [B, L, K, Dz] -> [B]. */
export function sequenceKl(posterior: Gaussian): Tensor {
  return tf.tidy(() => klToStandardNormal(posterior).sum([1, 2, 3]));
}

function latentShape(decoder: Decoder, batch: number, settings: InnerLoopSettings): number[] {
  const { layers, latentDim } = decoder.shape;
  return [batch, layers, settings.latentsPerLayer, latentDim];
}

function checkBatch(batch: InferenceBatch): void {
  const { tokens, targets } = batch;
  if (targets.shape.join() !== tokens.shape.join()) {
    throw new ShapeError('inner loop targets', `[${tokens.shape.join(', ')}]`, targets.shape);
  }
}

/**
 * The batch objective: sum over sequences of (scored NLL / klWeight + KL), divided by
 * `scale`.
 * mu, logVar, noise: [B, L, K, Dz] -> scalar.
 */
export function innerObjective(decoder: Decoder, prefix: DecoderPrefix, batch: InferenceBatch,
  posterior: Gaussian, noise: Tensor, settings: InnerLoopSettings, scale: number): Scalar {
  const logVar = clampLogVar(posterior.logVar, settings.logVarMin, settings.logVarMax);
  const bounded = { mu: posterior.mu, logVar };
  const z = reparameterise(bounded, noise);
  const nll = scoredSum(tokenNll(decoder, batch.tokens, batch.targets, z, prefix),
    batch.weights);
  const weight = settings.klWeight ?? 1;
  const perSequence = (weight === 1 ? nll : nll.div(weight)).add(sequenceKl(bounded));
  return perSequence.sum().div(scale) as Scalar;
}

/**
 * An inner loop between updates: the batch's latent-free prefix, the current posterior and
 * the optimiser's state. Made by `startInference`, advanced by `inferenceStep`, ended by
 * `finishInference`; `fitPosterior` runs the three in order.
 */
export interface InferenceState {
  decoder: Decoder;
  batch: InferenceBatch;
  settings: InnerLoopSettings;
  rng: Rng;
  prefix: DecoderPrefix;
  /** [B, L, K, Dz] */
  posterior: Gaussian;
  /** [B, L, K, Dz] */
  noise: Tensor;
  muState: InnerOptimizerState;
  logVarState: InnerOptimizerState;
  /** Updates taken so far. */
  step: number;
  /** Divides the batch objective: 1, or the scored tokens per sequence. */
  scale: number;
  perToken: number;
  /** Objective and KL at each iterate, kept when tracing. */
  trace: { values: Scalar[]; kls: Tensor[] } | null;
  /** Transposed decoder matrices, kept for the loop: the decoder is frozen during it. */
  transposes: TransposeHold;
}

/** Computes the prefix and the starting posterior of `batch`; nothing is updated yet. */
export function startInference(decoder: Decoder, batch: InferenceBatch,
  settings: InnerLoopSettings, rng: Rng, trace = false): InferenceState {
  checkBatch(batch);
  const batchSize = batch.tokens.shape[0] as number;
  const shape = latentShape(decoder, batchSize, settings);
  const perToken = scoredCount(batch);
  const prefix = keptPrefix(decoder, batch.tokens);
  return {
    decoder, batch, settings, rng, prefix,
    posterior: tf.tidy(() => initialPosterior(shape, settings.initLogVar)),
    noise: standardNormal(shape, rng.seed()),
    muState: { count: 0 },
    logVarState: { count: 0 },
    step: 0,
    scale: settings.gradientScale === 'token' ? perToken : 1,
    perToken,
    trace: trace ? { values: [], kls: [] } : null,
    // After the prefix, so the rotary tables of this length exist.
    transposes: holdTransposes(decoderMatrices(decoder)),
  };
}

function objectiveOf(state: InferenceState): (mu: Tensor, logVar: Tensor) => Scalar {
  const { decoder, prefix, batch, settings, scale } = state;
  return (mu, logVar) => innerObjective(decoder, prefix, batch, { mu, logVar }, state.noise,
    settings, scale);
}

/**
 * One update of the posterior at the cosine-decayed rate of step `state.step`. With
 * `resampleNoise`, fresh noise for the next step is drawn after the update.
 */
export function inferenceStep(state: InferenceState): void {
  const { settings, posterior } = state;
  const { value, grads } = tf.valueAndGrads(objectiveOf(state))([posterior.mu, posterior.logVar]);
  if (state.trace !== null) {
    state.trace.values.push(value);
    state.trace.kls.push(meanKl(posterior, settings));
  } else {
    value.dispose();
  }
  const lr = innerRate(settings.lr, state.step, settings.steps);
  const { optimizer, maxStepNorm } = settings;
  const mu = innerUpdate(optimizer, posterior.mu, grads[0], state.muState, lr, maxStepNorm);
  const logVar = innerUpdate(optimizer, posterior.logVar, grads[1], state.logVarState, lr,
    maxStepNorm);
  tf.dispose([posterior.mu, posterior.logVar, ...grads]);
  disposeInnerState(state.muState);
  disposeInnerState(state.logVarState);
  state.posterior = { mu: mu.parameter, logVar: clampLogVar(logVar.parameter,
    settings.logVarMin, settings.logVarMax) };
  logVar.parameter.dispose();
  state.muState = mu.state;
  state.logVarState = logVar.state;
  state.step += 1;
  if (settings.resampleNoise && state.step < settings.steps) {
    const { shape } = state.noise;
    state.noise.dispose();
    state.noise = standardNormal(shape, state.rng.seed());
  }
}

/** Frees everything the loop holds except the posterior, which it returns with the trace. */
export function finishInference(state: InferenceState): InnerLoopResult {
  const { trace, settings, posterior, perToken } = state;
  let traced: InnerLoopResult['trace'] = null;
  if (trace !== null) {
    trace.values.push(tf.tidy(() => objectiveOf(state)(posterior.mu, posterior.logVar)));
    trace.kls.push(meanKl(posterior, settings));
    const batchSize = posterior.mu.shape[0];
    traced = tf.tidy(() => {
      const perSequence = tf.stack(trace.values).div(settings.gradientScale === 'token'
        ? batchSize : batchSize * perToken);
      const kl = tf.stack(trace.kls).div(perToken);
      // The objective weighs the NLL by 1 / klWeight; the trace reports it unweighted.
      return { nll: perSequence.sub(kl).mul(settings.klWeight ?? 1), kl };
    });
  }
  releaseInference(state, true);
  return { posterior, trace: traced };
}

/** Frees the loop's tensors; the posterior too unless `keepPosterior`. Safe to call again. */
function releaseInference(state: InferenceState, keepPosterior: boolean): void {
  const held = [state.noise, ...(state.trace?.values ?? []), ...(state.trace?.kls ?? [])];
  if (!state.prefix.hidden.isDisposed) disposePrefix(state.prefix);
  if (!keepPosterior) held.push(state.posterior.mu, state.posterior.logVar);
  tf.dispose(held.filter((tensor) => !tensor.isDisposed));
  disposeInnerState(state.muState);
  disposeInnerState(state.logVarState);
  state.muState = { count: state.muState.count };
  state.logVarState = { count: state.logVarState.count };
  if (state.trace !== null) state.trace = { values: [], kls: [] };
  releaseTransposes(state.transposes);
}

/**
 * Fits q(z | x) for every sequence of `batch`, starting from mean 0 and log-variance
 * `initLogVar`, with `settings.steps` updates of a cosine-decayed rate. Noise seeds come from
 * `rng`. With `trace`, also returns the objective at every iterate (one extra forward pass).
 * `onIterate`, if given, sees each iterate 0..steps before it is updated (and the final one).
 */
export function fitPosterior(decoder: Decoder, batch: InferenceBatch,
  settings: InnerLoopSettings, rng: Rng, trace = false,
  onIterate?: (posterior: Gaussian) => void): InnerLoopResult {
  const state = startInference(decoder, batch, settings, rng, trace);
  try {
    while (state.step < settings.steps) {
      onIterate?.(state.posterior);
      inferenceStep(state);
    }
    onIterate?.(state.posterior);
    return finishInference(state);
  } catch (error) {
    releaseInference(state, false);
    throw error;
  }
}

/** Mean KL per sequence over the batch, a scalar. */
function meanKl(posterior: Gaussian, settings: InnerLoopSettings): Tensor {
  return tf.tidy(() => {
    const logVar = clampLogVar(posterior.logVar, settings.logVarMin, settings.logVarMax);
    return sequenceKl({ mu: posterior.mu, logVar }).sum().div(posterior.mu.shape[0]);
  });
}
