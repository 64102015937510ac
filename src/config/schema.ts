// The one JSON Schema of a run's config: every field's default, range and meaning. Config
// files in configs/ only override it; the TypeScript type `Config` follows from it.
import type { FromSchema } from 'json-schema-to-ts';

const dataSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description: 'Where the text comes from and how it becomes tokens.',
  properties: {
    kind: {
      enum: ['sotu', 'text', 'jsonl', 'hidden-topic'],
      default: 'sotu',
      description: 'sotu: the State of the Union addresses 1790-2021 (shipped); text: a file or '
        + 'a folder of .txt files; jsonl: one JSON object per line; hidden-topic: synthetic '
        + 'sequences from one of several random Markov tables (the table is the latent).',
    },
    path: {
      type: 'string',
      default: '',
      description: 'File or folder for kind text, file for kind jsonl; relative to the '
        + 'working directory.',
    },
    jsonlField: {
      type: 'string',
      default: 'text',
      description: 'The field of each JSON line that holds the text.',
    },
    tokenizer: {
      enum: ['bytes', 'gpt2'],
      default: 'bytes',
      description: 'bytes: UTF-8 bytes, 256 symbols, no vocabulary file; gpt2: GPT-2 BPE.',
    },
    trainUntilYear: {
      type: 'integer',
      default: 1980,
      description: 'sotu: speeches up to this year train; later ones are held out.',
    },
    validUntilYear: {
      type: 'integer',
      default: 2000,
      description: 'sotu: speeches after trainUntilYear up to this year validate; later test.',
    },
    validFraction: {
      type: 'number',
      minimum: 0.01,
      maximum: 0.5,
      default: 0.1,
      description: 'text and jsonl: share of documents (or of a single file\'s tail) that '
        + 'validates; the same share again tests.',
    },
    topics: {
      type: 'integer',
      minimum: 2,
      maximum: 256,
      default: 16,
      description: 'hidden-topic: the number of Markov tables.',
    },
    alphabet: {
      type: 'integer',
      minimum: 2,
      maximum: 256,
      default: 32,
      description: 'hidden-topic: symbols per sequence position.',
    },
    concentration: {
      type: 'number',
      exclusiveMinimum: 0,
      default: 0.1,
      description: 'hidden-topic: Dirichlet concentration of each table row; small is sparse.',
    },
    tableSeed: {
      type: 'integer',
      default: 12345,
      description: 'hidden-topic: seed of the tables, fixed apart from the run seed.',
    },
    heldOutSequences: {
      type: 'integer',
      minimum: 16,
      default: 512,
      description: 'hidden-topic: sequences in each of the validation and test sets.',
    },
  },
} as const;

const modelSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description: 'The Transformer decoder.',
  properties: {
    layers: { type: 'integer', minimum: 1, maximum: 48, default: 2, description: 'Blocks L.' },
    width: { type: 'integer', minimum: 8, maximum: 4096, default: 128, description: 'Width D.' },
    heads: {
      type: 'integer',
      minimum: 1,
      default: 4,
      description: 'Attention heads; must divide width.',
    },
    mlpHidden: {
      type: 'integer',
      minimum: 1,
      default: 384,
      description: 'Hidden size of the SwiGLU MLP.',
    },
    sequenceLength: {
      type: 'integer',
      minimum: 2,
      maximum: 4096,
      default: 64,
      description: 'Tokens T per training sequence.',
    },
    window: {
      type: 'integer',
      minimum: 1,
      default: 16,
      description: 'Causal self-attention window in tokens (the token itself included); at '
        + 'most sequenceLength. Shared by the LTM and its AR baseline.',
    },
    ropeBase: {
      type: 'number',
      exclusiveMinimum: 1,
      default: 10000,
      description: 'Base of the rotary position angles.',
    },
    initStd: {
      type: 'number',
      exclusiveMinimum: 0,
      default: 0.02,
      description: 'Standard deviation of the initial weights (output projections are '
        + 'scaled down by sqrt(2 L)).',
    },
  },
} as const;

const latentsSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description: 'The latent thought vectors z of shape [B, L, K, latentDim].',
  properties: {
    enabled: {
      type: 'boolean',
      default: true,
      description: 'false: the autoregressive baseline (the same decoder, no cross-attention).',
    },
    perLayer: {
      type: 'integer',
      minimum: 1,
      maximum: 1024,
      default: 4,
      description: 'Latent vectors K per decoder layer. Does not change the parameter count.',
    },
    dim: {
      type: 'integer',
      minimum: 1,
      maximum: 4096,
      default: 32,
      description: 'Size of each latent vector.',
    },
    initLogVar: {
      type: 'number',
      minimum: -20,
      maximum: 5,
      default: 0,
      description: 'Starting log-variance of the posterior (0 is the prior).',
    },
    logVarMin: {
      type: 'number',
      default: -12,
      description: 'Log-variance is clipped to [logVarMin, logVarMax] so exp never overflows.',
    },
    logVarMax: {
      type: 'number',
      default: 6,
      description: 'Upper end of the log-variance range.',
    },
  },
} as const;

const viSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description: 'The fast inner loop that fits the posterior of each sequence.',
  properties: {
    innerSteps: {
      type: 'integer',
      minimum: 0,
      maximum: 1024,
      default: 4,
      description: 'Optimiser steps on (mu, logVar) per batch; 0 scores z at the prior.',
    },
    innerLr: {
      type: 'number',
      exclusiveMinimum: 0,
      default: 1,
      description: 'Inner learning rate; decays by a cosine to innerLr / 10 over the steps.',
    },
    optimizer: {
      enum: ['sgd', 'adam', 'rmsprop'],
      default: 'sgd',
      description: 'sgd: plain gradient steps on the per-sequence objective; adam: the '
        + 'paper\'s choice (its first step moves every coordinate by innerLr); rmsprop: '
        + 'steps scaled by a running gradient magnitude.',
    },
    gradientScale: {
      enum: ['sequence', 'token'],
      default: 'token',
      description: 'sequence: gradient of the per-sequence sum; token: of the per-token mean '
        + '(a step size that does not depend on sequenceLength).',
    },
    maxStepNorm: {
      type: 'number',
      minimum: 0,
      default: 0,
      description: 'Largest length of one update of a sequence\'s mean (and, apart, of its '
        + 'log-variance), measured over all its latent floats; 0: no limit. Keeps large '
        + 'rates from overshooting on an untrained decoder.',
    },
    resampleNoise: {
      type: 'boolean',
      default: false,
      description: 'Draw fresh noise at every inner step instead of one draw per batch.',
    },
    decoderGradient: {
      enum: ['final', 'sum-over-iterates'],
      default: 'final',
      description: 'final: one decoder gradient at the final, detached posterior (the '
        + 'paper\'s algorithm); sum-over-iterates: summed over the inner iterates.',
    },
  },
} as const;

const trainSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description: 'The slow outer loop.',
  properties: {
    steps: {
      type: 'integer',
      minimum: 1,
      default: 600,
      description: 'Decoder updates. The budget is in steps, not seconds, so runs repeat.',
    },
    batchSize: { type: 'integer', minimum: 1, default: 16, description: 'Sequences B per step.' },
    lr: { type: 'number', exclusiveMinimum: 0, default: 0.002, description: 'Peak AdamW rate.' },
    minLr: {
      type: 'number',
      minimum: 0,
      default: 0.0002,
      description: 'Rate at the end of the cosine decay.',
    },
    warmupSteps: {
      type: 'integer',
      minimum: 0,
      default: 50,
      description: 'Linear warm-up steps before the cosine decay.',
    },
    beta1: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0.9 },
    beta2: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0.95 },
    weightDecay: {
      type: 'number',
      minimum: 0,
      default: 0.1,
      description: 'Decoupled weight decay on matrices (not on norms).',
    },
    gradClip: {
      type: 'number',
      minimum: 0,
      default: 1,
      description: 'Global gradient-norm clip; 0 turns it off.',
    },
    seed: {
      type: 'integer',
      default: 1,
      description: 'The run seed; every random stream (init, batches, noise) derives from it.',
    },
    logEvery: {
      type: 'integer',
      minimum: 1,
      default: 25,
      description: 'Steps between metric lines.',
    },
    evalEvery: {
      type: 'integer',
      minimum: 0,
      default: 0,
      description: 'Steps between held-out evaluations during training; 0: at the end only.',
    },
    checkpointEvery: {
      type: 'integer',
      minimum: 0,
      default: 200,
      description: 'Steps between checkpoints; 0: at the end only.',
    },
    keepCheckpoints: {
      type: 'integer',
      minimum: 1,
      default: 3,
      description: 'How many of the most recent checkpoints to keep.',
    },
    onNonFinite: {
      enum: ['stop', 'skip'],
      default: 'stop',
      description: 'stop: end the run at a non-finite loss or gradient, keeping the last good '
        + 'checkpoint; skip: drop that batch and count it.',
    },
  },
} as const;

const evalSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description: 'Held-out evaluation.',
  properties: {
    sequences: {
      type: 'integer',
      minimum: 1,
      default: 256,
      description: 'Held-out sequences scored (evenly spaced windows of the split).',
    },
    batchSize: { type: 'integer', minimum: 1, default: 32, description: 'Sequences per batch.' },
    noiseSamples: {
      type: 'integer',
      minimum: 1,
      default: 2,
      description: 'Fresh noise draws after the inner loop, averaged in NLL and bound.',
    },
    prefixFraction: {
      type: 'number',
      exclusiveMinimum: 0,
      exclusiveMaximum: 1,
      default: 0.5,
      description: 'Suffix NLL: z is fitted on this share of each sequence, the rest scored.',
    },
  },
} as const;

export const configSchema = {
  $id: 'latent-thought/config',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string', description: 'Ignored; lets editors find the schema.' },
    description: {
      type: 'string',
      default: '',
      description: 'Free text saying what the config is for.',
    },
    backend: {
      enum: ['auto', 'wasm', 'cpu', 'node'],
      default: 'auto',
      description: 'auto: native TensorFlow if installed, else wasm; cpu is slow (a reference).',
    },
    data: dataSchema,
    model: modelSchema,
    latents: latentsSchema,
    vi: viSchema,
    train: trainSchema,
    eval: evalSchema,
  },
} as const;

/** A resolved config: every field present, defaults filled in. */
export type Config = FromSchema<typeof configSchema>;
