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
      enum: ['sotu', 'text', 'jsonl', 'hidden-topic', 'hierarchy'],
      default: 'sotu',
      description: 'sotu: the State of the Union addresses 1790-2021 (shipped); text: a file or '
        + 'a folder of .txt and .md files; jsonl: one JSON object per line; hidden-topic: '
        + 'synthetic sequences from one of several random Markov tables (the table is the '
        + 'latent); '
        + 'hierarchy: synthetic sequences of a random hierarchy model, whose symbols at every '
        + 'level are known.',
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
      description: 'hidden-topic and hierarchy: sequences in each of the validation and test '
        + 'sets.',
    },
    depth: {
      type: 'integer',
      minimum: 1,
      maximum: 12,
      default: 3,
      description: 'hierarchy: levels of productions between the root and the tokens; a '
        + 'sequence has branching^depth tokens.',
    },
    vocab: {
      type: 'integer',
      minimum: 2,
      maximum: 255,
      default: 8,
      description: 'hierarchy: symbols per level (the tokens are the symbols of level 0).',
    },
    rules: {
      type: 'integer',
      minimum: 1,
      default: 2,
      description: 'hierarchy: synonymous productions per symbol; rules * vocab must not exceed '
        + 'vocab^branching, so every tuple of children has at most one parent.',
    },
    branching: {
      type: 'integer',
      minimum: 2,
      maximum: 16,
      default: 2,
      description: 'hierarchy: children per production.',
    },
    rulesSeed: {
      type: 'integer',
      default: 2024,
      description: 'hierarchy: seed of the productions and of the held-out sets, fixed apart '
        + 'from the run seed.',
    },
    trainSequences: {
      type: 'integer',
      minimum: 0,
      default: 0,
      description: 'hierarchy: 0 draws fresh training sequences for every batch; N > 0 trains '
        + 'on a fixed set of N sequences (batches drawn from it with replacement).',
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
    klWarmupSteps: {
      type: 'integer',
      minimum: 0,
      default: 0,
      description: 'Training only: the KL weight of the inner objective rises linearly from '
        + 'klWarmupStart to 1 over these first steps, so the decoder learns to read latents '
        + 'before their full price is charged; 0: always 1. Evaluation and the reported '
        + 'bound always charge the full KL.',
    },
    klWarmupStart: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1,
      default: 0.05,
      description: 'KL weight at the first training step when klWarmupSteps > 0.',
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

const puzzlesSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description: 'The puzzle dataset a reasoner trains and is scored on: generated from a seed, '
    + 'each puzzle with its exact solution set, split by input.',
  properties: {
    family: {
      enum: ['sudoku4', 'colouring', 'queens8'],
      default: 'sudoku4',
      description: 'sudoku4: 4x4 Sudoku with clues removed; colouring: 3-colouring of small '
        + 'random graphs (answers counted up to colour renaming); queens8: 8x8 N-Queens with '
        + 'queens removed.',
    },
    minClues: {
      type: 'integer', minimum: 0, maximum: 16, default: 4,
      description: 'sudoku4: fewest clues a puzzle shows.',
    },
    maxClues: {
      type: 'integer', minimum: 0, maximum: 16, default: 6,
      description: 'sudoku4: most clues; the count is uniform in [minClues, maxClues].',
    },
    minRemoved: {
      type: 'integer', minimum: 0, maximum: 8, default: 5,
      description: 'queens8: fewest queens removed from a full solution.',
    },
    maxRemoved: {
      type: 'integer', minimum: 0, maximum: 8, default: 7,
      description: 'queens8: most queens removed; the count is uniform in the range.',
    },
    minNodes: {
      type: 'integer', minimum: 2, maximum: 12, default: 6,
      description: 'colouring: fewest nodes of a graph.',
    },
    maxNodes: {
      type: 'integer', minimum: 2, maximum: 12, default: 7,
      description: 'colouring: most nodes; also fixes the token lengths (maxNodes (maxNodes-1) '
        + '/ 2 node pairs in, maxNodes colours out).',
    },
    edgeProbability: {
      type: 'number', minimum: 0, maximum: 1, default: 0.5,
      description: 'colouring: chance that each pair of nodes is joined.',
    },
    minSolutions: {
      type: 'integer', minimum: 1, default: 2,
      description: 'Fewest answers a kept puzzle has (2: every puzzle is ambiguous).',
    },
    maxSolutions: {
      type: 'integer', minimum: 1, default: 6,
      description: 'Most answers a kept puzzle has; few enough that 20 samples can cover them.',
    },
    count: {
      type: 'integer', minimum: 3, default: 3000,
      description: 'Distinct puzzles generated across all splits.',
    },
    validFraction: {
      type: 'number', minimum: 0, maximum: 1, default: 0.1,
      description: 'Share of the distinct puzzles held out for validation.',
    },
    testFraction: {
      type: 'number', minimum: 0, maximum: 1, default: 0.1,
      description: 'Share held out for testing; the rest trains.',
    },
    seed: {
      type: 'integer', default: 7,
      description: 'Seed of the puzzles and the split, apart from the run seed, so runs with '
        + 'different run seeds share one dataset.',
    },
    blankInputShare: {
      type: 'number', minimum: 0, maximum: 1, default: 0,
      description: 'Share of training rows whose input is replaced by the blank input (no '
        + 'clue, no edge, no queen) with a target drawn from all answers of that blank '
        + 'puzzle; teaches the model unconditional generation.',
    },
  },
} as const;

const reasonerSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description: 'The recursive reasoner: a state (h, l) refined by a low-level module f_L and a '
    + 'high-level module f_H, with an optional stochastic update of h.',
  properties: {
    width: { type: 'integer', minimum: 4, maximum: 1024, default: 64, description: 'Width D.' },
    mlpExpansion: {
      type: 'number', exclusiveMinimum: 0, default: 2,
      description: 'Hidden size of each module\'s channel MLP, as a multiple of width.',
    },
    mixExpansion: {
      type: 'number', exclusiveMinimum: 0, default: 2,
      description: 'Hidden size of the token-mixing MLP across positions, as a multiple of '
        + 'the number of positions.',
    },
    headHidden: {
      type: 'integer', minimum: 1, default: 64,
      description: 'Hidden size of the prior and posterior heads.',
    },
    lowSteps: {
      type: 'integer', minimum: 1, maximum: 64, default: 2,
      description: 'Low-level refinements l = f_L(l, h + e) per transition.',
    },
    transitions: {
      type: 'integer', minimum: 1, maximum: 64, default: 2,
      description: 'Transitions per supervision round; gradients flow through the last one.',
    },
    supervisionRounds: {
      type: 'integer', minimum: 1, maximum: 64, default: 3,
      description: 'Deep-supervision rounds per training step, the state carried (detached) '
        + 'from one to the next; each round makes one AdamW update, so one train step (one '
        + 'batch) makes this many updates.',
    },
    stochastic: {
      type: 'boolean', default: true,
      description: 'true: h = u + eps with a learned prior and posterior; false: the '
        + 'deterministic baseline, the same network with the noise (and its heads) removed.',
    },
    beta: {
      type: 'number', minimum: 0, default: 0.5,
      description: 'Weight of the KL term (KL summed over width and positions, per answer '
        + 'cell, like the cross-entropy). Low values let the posterior smuggle the answer '
        + 'into h.',
    },
    klBalance: {
      type: 'number', minimum: 0, maximum: 1, default: 0.8,
      description: 'Share of the KL gradient that moves the prior towards the posterior; the '
        + 'rest moves the posterior towards the prior.',
    },
    logSigmaMin: {
      type: 'number', default: -6,
      description: 'Noise log standard deviations are clamped to [logSigmaMin, logSigmaMax].',
    },
    logSigmaMax: {
      type: 'number', default: 1.5,
      description: 'Upper end of the log standard deviation range.',
    },
    initSigma: {
      type: 'number', exclusiveMinimum: 0, default: 0.1,
      description: 'Noise standard deviation of prior and posterior at initialisation.',
    },
    evalSamples: {
      type: 'integer', minimum: 1, maximum: 1000, default: 20,
      description: 'Trajectories S sampled per input when scoring.',
    },
    inferenceRounds: {
      type: 'integer', minimum: 0, maximum: 1024, default: 0,
      description: 'Rounds of transitions run at inference; 0: supervisionRounds, the depth '
        + 'the model trained at.',
    },
    evalInputs: {
      type: 'integer', minimum: 0, default: 0,
      description: 'Inputs of a split scored at the end of training and by default when '
        + 'reasoning over a split; 0: all of them.',
    },
    monitorInputs: {
      type: 'integer', minimum: 1, default: 100,
      description: 'Validation inputs scored by prior rollouts every train.evalEvery steps.',
    },
    monitorSamples: {
      type: 'integer', minimum: 1, default: 5,
      description: 'Trajectories per input in those periodic scores.',
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
    kind: {
      enum: ['ltm', 'reasoner'],
      default: 'ltm',
      description: 'ltm: a latent thought language model (data, model, latents, vi, eval); '
        + 'reasoner: a recursive reasoner on puzzles (puzzles, reasoner). Both read train '
        + 'and backend; a section the kind does not read must be left at its defaults.',
    },
    puzzles: puzzlesSchema,
    reasoner: reasonerSchema,
  },
} as const;

/** A resolved config: every field present, defaults filled in. */
export type Config = FromSchema<typeof configSchema>;
