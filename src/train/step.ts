// One outer training step: infer the batch's posteriors with the decoder frozen (the fast
// loop), then one AdamW update of the decoder at a fresh sample of the final posterior.
import {
  holdTransposes, releaseTransposes, tf, type Scalar, type Tensor, type Variable,
} from '../backend/index.js';
import type { Config } from '../config/index.js';
import { decoderMatrices, namedParams, tokenNll } from '../decoder/index.js';
import { clampLogVar, reparameterise, standardNormal, type Gaussian } from '../latents/index.js';
import type { Rng } from '../random.js';
import { fitPosterior, sequenceKl, type InferenceBatch } from '../vi/inner-loop.js';
import type { LatentModel } from '../vi/model.js';
import { adamWUpdate, globalNorm, type AdamWState } from './adamw.js';

/** What one step reports, read back from tensors. Losses are nats per token. */
export interface StepMetrics {
  nll: number;
  kl: number;
  gradNorm: number;
  lr: number;
  /** Inner-loop objective (NLL + KL per token) at iterates 0..innerSteps, when traced. */
  innerTrace?: number[];
}

/** Splits [B, T + 1] token rows into inputs and next-token targets, both [B, T]. */
export function toBatch(rows: Int32Array, batchSize: number, length: number): InferenceBatch {
  const all = tf.tensor2d(rows, [batchSize, length + 1], 'int32');
  const tokens = all.slice([0, 0], [batchSize, length]);
  const targets = all.slice([0, 1], [batchSize, length]);
  all.dispose();
  return { tokens, targets, weights: null };
}

/** Decoder gradients of the mean NLL per token at latents `z` (or none), keyed by name. */
function decoderGradients(model: LatentModel, batch: InferenceBatch, z: Tensor | null) {
  const named = namedParams(model.decoder.params);
  const { value, grads } = tf.variableGrads(() => tokenNll(model.decoder, batch.tokens,
    batch.targets, z).mean() as Scalar, named.map(([, v]) => v));
  const byName = new Map<string, Tensor>();
  for (const [name, variable] of named) byName.set(name, grads[variable.name]);
  return { nll: value, gradients: byName };
}

function addInto(total: Map<string, Tensor>, more: Map<string, Tensor>): void {
  for (const [name, gradient] of more) {
    const previous = total.get(name);
    total.set(name, previous === undefined ? gradient : tf.tidy(() => previous.add(gradient)));
    if (previous !== undefined) tf.dispose([previous, gradient]);
  }
}

function sampleLatents(posterior: Gaussian, config: Config, rng: Rng): Tensor {
  return tf.tidy(() => {
    const logVar = clampLogVar(posterior.logVar, config.latents.logVarMin,
      config.latents.logVarMax);
    return reparameterise({ mu: posterior.mu, logVar }, standardNormal(
      posterior.mu.shape, rng.seed()));
  });
}

/** The latent side of a step: a sample of the fitted posterior, its KL, the inner trace. */
interface LatentPart {
  z: Tensor | null;
  kl: number;
  innerTrace?: number[];
}

/**
 * Fits the batch's posteriors and samples z from them (nothing for the AR baseline). With
 * sum-over-iterates, adds the decoder gradient at every iterate into `summed`.
 */
function inferLatents(model: LatentModel, config: Config, batch: InferenceBatch,
  noiseRng: Rng, trace: boolean, summed: Map<string, Tensor>, klWeight: number): LatentPart {
  if (model.inference === null) return { z: null, kl: 0 };
  const iterate = config.vi.decoderGradient === 'sum-over-iterates'
    ? (posterior: Gaussian) => {
      const iterateZ = sampleLatents(posterior, config, noiseRng);
      const { nll, gradients } = decoderGradients(model, batch, iterateZ);
      tf.dispose([nll, iterateZ]);
      addInto(summed, gradients);
    }
    : undefined;
  const settings = { ...model.inference, klWeight };
  const fitted = fitPosterior(model.decoder, batch, settings, noiseRng, trace, iterate);
  const z = sampleLatents(fitted.posterior, config, noiseRng);
  const tokens = batch.tokens.shape[1] as number;
  const { logVarMin, logVarMax } = config.latents;
  const kl = tf.tidy(() => sequenceKl({ mu: fitted.posterior.mu, logVar: clampLogVar(
    fitted.posterior.logVar, logVarMin, logVarMax) }).mean().div(tokens).arraySync() as number);
  let innerTrace: number[] | undefined;
  if (fitted.trace !== null) {
    innerTrace = tf.tidy(() => fitted.trace!.nll.add(fitted.trace!.kl).arraySync() as number[]);
    tf.dispose([fitted.trace.nll, fitted.trace.kl]);
  }
  tf.dispose([fitted.posterior.mu, fitted.posterior.logVar]);
  return { z, kl, innerTrace };
}

/**
 * Runs one training step on `batch` and updates the decoder in place. `noiseRng` supplies
 * every noise seed; `klWeight` weighs the KL of the inner objective (below 1 in a warm-up).
 * Values are read back here, once per step: the trainer needs the loss and the gradient norm
 * at every step to catch a non-finite value where it first appears.
 */
export function trainStep(model: LatentModel, optimizer: AdamWState, config: Config,
  batch: InferenceBatch, noiseRng: Rng, lr: number, trace: boolean,
  klWeight = 1): StepMetrics {
  const summed = new Map<string, Tensor>();
  // The decoder stays fixed until the update, so the transposed weights the inner loop makes
  // serve the decoder gradient too.
  const hold = model.inference === null ? null : holdTransposes(decoderMatrices(model.decoder));
  let latents: LatentPart;
  let nll: Tensor;
  try {
    latents = inferLatents(model, config, batch, noiseRng, trace, summed, klWeight);
    const last = decoderGradients(model, batch, latents.z);
    nll = last.nll;
    addInto(summed, last.gradients);
  } finally {
    if (hold !== null) releaseTransposes(hold);
  }
  const named = namedParams(model.decoder.params) as [string, Variable][];
  const norm = globalNorm([...summed.values()]);
  const nllValue = nll.arraySync() as number;
  const gradNorm = norm.arraySync() as number;
  if (Number.isFinite(nllValue) && Number.isFinite(gradNorm)) {
    adamWUpdate(named, summed, optimizer, config.train, lr, norm);
  }
  tf.dispose([nll, norm, ...summed.values()]);
  latents.z?.dispose();
  return { nll: nllValue, kl: latents.kl, gradNorm, lr, innerTrace: latents.innerTrace };
}
