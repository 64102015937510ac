// Text generation from a latent thought model: latents drawn from the prior, or inferred
// from a prompt by the inner loop, then tokens sampled one at a time with temperature and
// top-k. The AR baseline generates the same way without latents.
import { tf, type Tensor } from '../backend/index.js';
import type { Config } from '../config/index.js';
import type { Tokenizer } from '../data/index.js';
import { decoderLogits } from '../decoder/index.js';
import { standardNormal } from '../latents/index.js';
import { deriveRng, type Rng } from '../random.js';
import { fitPosterior } from '../vi/inner-loop.js';
import type { LatentModel } from '../vi/model.js';

export interface GenerateOptions {
  /** Tokens of the prompt; latents are inferred from it when it has two or more tokens. */
  prompt: number[];
  samples: number;
  maxTokens: number;
  temperature: number;
  /** Keep only the k most likely tokens; 0 keeps all. */
  topK: number;
  seed: number;
}

/** Picks one token from logits [V] with temperature and top-k, using `rng`. */
export function sampleToken(logits: Float32Array, temperature: number, topK: number,
  rng: Rng): number {
  if (temperature <= 0) return logits.indexOf(Math.max(...logits));
  const order = Array.from(logits.keys()).sort((a, b) => logits[b] - logits[a]);
  const kept = topK > 0 ? order.slice(0, topK) : order;
  const top = logits[kept[0]];
  const weights = kept.map((token) => Math.exp((logits[token] - top) / temperature));
  let threshold = rng.next() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < kept.length; i++) {
    threshold -= weights[i];
    if (threshold <= 0) return kept[i];
  }
  return kept[kept.length - 1];
}

/** Latents for `samples` sequences: inferred from the prompt, or drawn from the prior. */
function latentsFor(model: LatentModel, config: Config, options: GenerateOptions,
  rng: Rng): Tensor | null {
  if (model.inference === null) return null;
  const { layers, latentDim } = model.decoder.shape;
  const shape = [options.samples, layers, model.inference.latentsPerLayer, latentDim];
  if (options.prompt.length < 2) return standardNormal(shape, rng.seed());

  const length = Math.min(options.prompt.length - 1, config.model.sequenceLength);
  const window = options.prompt.slice(-(length + 1));
  const rows = Int32Array.from({ length: options.samples * (length + 1) },
    (_, i) => window[i % (length + 1)]);
  const all = tf.tensor2d(rows, [options.samples, length + 1], 'int32');
  const batch = {
    tokens: all.slice([0, 0], [options.samples, length]),
    targets: all.slice([0, 1], [options.samples, length]),
    weights: null,
  };
  const { posterior } = fitPosterior(model.decoder, batch, model.inference, rng);
  const z = tf.tidy(() => posterior.mu.add(posterior.logVar.mul(0.5).exp()
    .mul(standardNormal(shape, rng.seed()))));
  tf.dispose([all, batch.tokens, batch.targets, posterior.mu, posterior.logVar]);
  return z;
}

/**
 * Generates `samples` continuations of the prompt, each `maxTokens` long. The context is the
 * last `sequenceLength` tokens; the latents stay fixed for the whole continuation.
 * Returns the generated tokens only (the prompt not repeated).
 */
export function generateTokens(model: LatentModel, config: Config,
  options: GenerateOptions): number[][] {
  const rng = deriveRng(options.seed, 'generate');
  const latents = latentsFor(model, config, options, rng);
  const start = options.prompt.length > 0 ? options.prompt : [10];
  const sequences = Array.from({ length: options.samples }, () => start.slice());
  const vocab = model.decoder.shape.vocabSize;

  for (let produced = 0; produced < options.maxTokens; produced++) {
    const context = sequences.map((tokens) => tokens.slice(-config.model.sequenceLength));
    const length = context[0].length;
    const logits = tf.tidy(() => {
      const tokens = tf.tensor2d(context.flat(), [options.samples, length], 'int32');
      const all = decoderLogits(model.decoder, tokens, latents);
      return all.slice([0, length - 1, 0], [options.samples, 1, vocab]).reshape(
        [options.samples, vocab]);
    });
    const values = logits.dataSync() as Float32Array;
    logits.dispose();
    sequences.forEach((tokens, row) => {
      const rowLogits = values.subarray(row * vocab, (row + 1) * vocab);
      tokens.push(sampleToken(rowLogits, options.temperature, options.topK, rng));
    });
  }
  latents?.dispose();
  return sequences.map((tokens) => tokens.slice(start.length));
}

/** Text options: like GenerateOptions, with the prompt as text and defaults filled in. */
export interface TextOptions {
  prompt?: string;
  samples?: number;
  maxTokens?: number;
  temperature?: number;
  topK?: number;
  seed?: number;
}

/** Generates continuations of a text prompt and decodes them with the corpus's tokenizer. */
export function generateText(model: LatentModel, corpus: { tokenizer: Tokenizer },
  config: Config, options: TextOptions = {}): string[] {
  const prompt = options.prompt === undefined ? [] : corpus.tokenizer.encode(options.prompt);
  return generateTokens(model, config, {
    prompt,
    samples: options.samples ?? 1,
    maxTokens: options.maxTokens ?? 200,
    temperature: options.temperature ?? 0.8,
    topK: options.topK ?? 0,
    seed: options.seed ?? 1,
  }).map((tokens) => corpus.tokenizer.decode(tokens));
}
