// A latent thought model as the config describes it: the decoder plus the settings of its
// inner loop. With latents switched off it is the autoregressive baseline.
import type { Config } from '../config/index.js';
import {
  createDecoder, decoderParameterCount, type Decoder, type DecoderShape,
} from '../decoder/index.js';
import type { InnerLoopSettings } from './inner-loop.js';

export interface LatentModel {
  decoder: Decoder;
  /** null for the AR baseline. */
  inference: InnerLoopSettings | null;
}

/** The decoder architecture a config asks for, given the tokenizer's vocabulary. */
export function decoderShapeOf(config: Config, vocabSize: number): DecoderShape {
  const { model, latents } = config;
  return {
    vocabSize,
    layers: model.layers,
    width: model.width,
    heads: model.heads,
    mlpHidden: model.mlpHidden,
    window: model.window,
    ropeBase: model.ropeBase,
    latentDim: latents.dim,
    latents: latents.enabled,
  };
}

/** The inner-loop settings of a config, or null when latents are off. */
export function inferenceSettingsOf(config: Config): InnerLoopSettings | null {
  const { latents, vi } = config;
  if (!latents.enabled) return null;
  return {
    steps: vi.innerSteps,
    lr: vi.innerLr,
    optimizer: vi.optimizer,
    gradientScale: vi.gradientScale,
    maxStepNorm: vi.maxStepNorm,
    resampleNoise: vi.resampleNoise,
    latentsPerLayer: latents.perLayer,
    initLogVar: latents.initLogVar,
    logVarMin: latents.logVarMin,
    logVarMax: latents.logVarMax,
  };
}

/** A fresh model with weights drawn from the run seed. */
export function createLatentModel(config: Config, vocabSize: number): LatentModel {
  const decoder = createDecoder(decoderShapeOf(config, vocabSize), config.model.initStd,
    config.train.seed);
  return { decoder, inference: inferenceSettingsOf(config) };
}

/** Floats of latent state per sequence: L * K * latentDim (0 for the AR baseline). */
export function latentFloatsPerSequence(config: Config): number {
  if (!config.latents.enabled) return 0;
  return config.model.layers * config.latents.perLayer * config.latents.dim;
}

export { decoderParameterCount };
