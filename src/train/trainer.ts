// The slow outer loop: batches from a seeded stream, a training step each, metric events,
// periodic evaluation and checkpoints, exact resume, and a clean stop on request.
import { initBackend, tf } from '../backend/index.js';
import type { BackendChoice } from '../backend/index.js';
import type { Config } from '../config/index.js';
import {
  hiddenTopicReferences, isHiddenTopicCorpus, loadCorpus, receptiveField, type Corpus,
} from '../data/index.js';
import { disposeDecoder, namedParams } from '../decoder/index.js';
import { NumericalError } from '../errors.js';
import { deriveRng, restoreRng, type Rng } from '../random.js';
import { evaluate, type EvalReport } from '../vi/evaluate.js';
import { createLatentModel, type LatentModel } from '../vi/model.js';
import { createAdamWState, disposeAdamWState, type AdamWState } from './adamw.js';
import { saveCheckpoint, type TrainingState } from './checkpoint.js';
import {
  damagedFolders, forgetLostWork, resumeCheckpoint, type ResumePoint, type ResumeReport,
} from './resume.js';
import { appendJsonLine, createRunFolder, packageVersion, writeJson } from './run-folder.js';
import { klWarmupWeight, learningRate } from './schedule.js';
import { toBatch, trainStep, type StepMetrics } from './step.js';

/** What training reports as it goes; the command line turns these into output. */
export type TrainEvent =
  | { type: 'start'; backend: string; step: number; steps: number; parameters: number }
  | { type: 'step'; step: number; metrics: StepMetrics; elapsedSeconds: number }
  | { type: 'log'; record: MetricRecord }
  | { type: 'eval'; step: number; report: EvalReport }
  | { type: 'checkpoint'; step: number; path: string }
  | { type: 'skip'; step: number; reason: string }
  | ({ type: 'resume' } & ResumeReport);

/** One line of metrics.jsonl. Losses in nats per token and bits per byte. */
export interface MetricRecord {
  step: number;
  nll: number;
  kl: number;
  bound: number;
  nllBitsPerByte: number;
  klBitsPerByte: number;
  boundBitsPerByte: number;
  gradNorm: number;
  lr: number;
  innerTrace?: number[];
  elapsedSeconds: number;
  tokensPerSecond: number;
}

export interface TrainOptions {
  /** Run folder; null trains in memory only (no checkpoints, no files). */
  runDir: string | null;
  /** Continue from the folder's latest checkpoint. */
  resume?: boolean;
  name?: string;
  onEvent?: (event: TrainEvent) => void;
  /** Polled at every step boundary; true stops after a checkpoint. */
  shouldStop?: () => boolean;
  /** Evaluate on the validation split at the end (default true). */
  finalEval?: boolean;
}

export interface TrainResult {
  model: LatentModel;
  corpus: Corpus;
  backend: string;
  steps: number;
  interrupted: boolean;
  wallSeconds: number;
  evaluation: EvalReport | null;
}

/** Chooses and prepares the backend a config asks for. */
export async function prepareBackend(config: Config): Promise<string> {
  return initBackend(config.backend as BackendChoice);
}

interface Loop {
  config: Config;
  model: LatentModel;
  corpus: Corpus;
  optimizer: AdamWState;
  /** Step counter and skipped batches; random states live in the two streams. */
  state: Pick<TrainingState, 'step' | 'skippedBatches'>;
  batchRng: Rng;
  noiseRng: Rng;
  options: TrainOptions;
  bytesPerToken: number;
  /** The newest complete checkpoint of this run, for messages; null before the first. */
  lastCheckpoint: string | null;
  /** Checkpoint folders the resume found damaged and no save has replaced yet. */
  damaged: string[];
}

/** The first term of a step that is not finite, or null when all are. */
function nonFiniteTerm(metrics: StepMetrics): string | null {
  if (!Number.isFinite(metrics.kl)) return 'the KL';
  if (!Number.isFinite(metrics.nll)) return 'the NLL';
  if (!Number.isFinite(metrics.gradNorm)) return 'the decoder gradient norm';
  return null;
}

/** The largest magnitude of any decoder weight (NaN when one is NaN). */
function largestWeight(model: LatentModel): number {
  return tf.tidy(() => tf.stack(namedParams(model.decoder.params)
    .map(([, weight]) => weight.abs().max())).max().dataSync()[0]);
}

/**
 * Why `term` most likely stopped being finite, with the settings to change. Weights far
 * beyond their scale at initialisation point at the decoder's rate, else at the inner loop.
 */
function likelyCause(loop: Loop, term: string): string {
  const { train, vi, latents } = loop.config;
  const largest = largestWeight(loop.model);
  if (!(largest < 1e4)) {
    return `the decoder's weights have grown to ${largest.toPrecision(3)}: lower train.lr `
      + `(now ${train.lr})`;
  }
  if (term === 'the decoder gradient norm' || !latents.enabled) {
    return `the decoder's update: lower train.lr (now ${train.lr}) or set train.gradClip`;
  }
  return `the inner loop diverged (vi.innerLr ${vi.innerLr}, vi.maxStepNorm `
    + `${vi.maxStepNorm}): lower vi.innerLr, set vi.maxStepNorm, or narrow `
    + 'latents.logVarMin/logVarMax';
}

/** What was not finite at a step and its likely cause, or null when all was finite. */
function nonFinite(loop: Loop, metrics: StepMetrics): string | null {
  const term = nonFiniteTerm(metrics);
  if (term === null) return null;
  return `${term} is not finite; likely cause: ${likelyCause(loop, term)}`;
}

function record(loop: Loop, metrics: StepMetrics, elapsed: number, tokens: number) {
  const perByte = 1 / loop.bytesPerToken / Math.LN2;
  const result: MetricRecord = {
    step: loop.state.step,
    nll: metrics.nll,
    kl: metrics.kl,
    bound: metrics.nll + metrics.kl,
    nllBitsPerByte: metrics.nll * perByte,
    klBitsPerByte: metrics.kl * perByte,
    boundBitsPerByte: (metrics.nll + metrics.kl) * perByte,
    gradNorm: metrics.gradNorm,
    lr: metrics.lr,
    innerTrace: metrics.innerTrace,
    elapsedSeconds: elapsed,
    tokensPerSecond: tokens / Math.max(elapsed, 1e-9),
  };
  return result;
}

function checkpoint(loop: Loop): void {
  const { runDir, onEvent } = loop.options;
  if (runDir === null) return;
  const state: TrainingState = {
    ...loop.state, batchRng: loop.batchRng.state(), noiseRng: loop.noiseRng.state(),
  };
  const where = saveCheckpoint(runDir, { params: namedParams(loop.model.decoder.params),
    optimizer: loop.optimizer, state }, loop.config.train.keepCheckpoints, loop.damaged);
  loop.lastCheckpoint = where;
  loop.damaged = loop.damaged.filter((folder) => folder !== where);
  onEvent?.({ type: 'checkpoint', step: loop.state.step, path: where });
}

function runStep(loop: Loop, started: number, tokensSeen: { count: number }): void {
  const { config, state, options } = loop;
  const { train, model } = config;
  const step = state.step;
  const lr = learningRate(step, train.steps, train.lr, train.minLr, train.warmupSteps);
  const logNow = (step + 1) % train.logEvery === 0 || step === 0 || step + 1 === train.steps;
  const rows = loop.corpus.sampleTrainBatch(loop.batchRng, train.batchSize,
    model.sequenceLength + 1);
  const batch = toBatch(rows, train.batchSize, model.sequenceLength);
  const klWeight = klWarmupWeight(step, config.vi.klWarmupSteps, config.vi.klWarmupStart);
  const metrics = trainStep(loop.model, loop.optimizer, config, batch, loop.noiseRng, lr, logNow,
    klWeight);
  tf.dispose([batch.tokens, batch.targets]);

  const fault = nonFinite(loop, metrics);
  state.step += 1;
  if (fault !== null) {
    if (train.onNonFinite === 'stop') throw numericalError(loop, step + 1, fault);
    state.skippedBatches += 1;
    options.onEvent?.({ type: 'skip', step: state.step, reason: fault });
  }
  tokensSeen.count += train.batchSize * model.sequenceLength;
  const elapsed = (Date.now() - started) / 1000;
  options.onEvent?.({ type: 'step', step: state.step, metrics, elapsedSeconds: elapsed });
  if (logNow) {
    const line = record(loop, metrics, elapsed, tokensSeen.count);
    if (options.runDir !== null) appendJsonLine(options.runDir, 'metrics.jsonl', line);
    options.onEvent?.({ type: 'log', record: line });
  }
}

function numericalError(loop: Loop, step: number, fault: string): NumericalError {
  const kept = loop.lastCheckpoint === null ? 'No checkpoint was written before it'
    : `The last good checkpoint, ${loop.lastCheckpoint}, is kept`;
  return new NumericalError(step, `step ${step}: ${fault}. ${kept}; set `
    + 'train.onNonFinite to "skip" to drop such batches instead of stopping.');
}

function periodic(loop: Loop): void {
  const { train } = loop.config;
  const step = loop.state.step;
  if (train.evalEvery > 0 && step % train.evalEvery === 0 && step < train.steps) {
    const report = evaluateSplit(loop.model, loop.corpus, loop.config, 'valid');
    if (loop.options.runDir !== null) {
      appendJsonLine(loop.options.runDir, 'evals.jsonl', { step, split: 'valid', ...report });
    }
    loop.options.onEvent?.({ type: 'eval', step, report });
  }
  if (train.checkpointEvery > 0 && step % train.checkpointEvery === 0 && step < train.steps) {
    checkpoint(loop);
  }
}

/**
 * Evaluates a model on a held-out split of its corpus with the config's eval settings. On
 * the hidden-topic corpus the exact Bayes references of the same sequences come along.
 */
export function evaluateSplit(model: LatentModel, corpus: Corpus, config: Config,
  split: 'valid' | 'test'): EvalReport {
  const set = corpus.heldOut(split, config.eval.sequences, config.model.sequenceLength + 1);
  const report = evaluate(model, set, config, `eval-${split}`);
  report.unigramBitsPerByte = corpus.unigramEntropyBitsPerByte(split);
  if (isHiddenTopicCorpus(corpus)) {
    const field = receptiveField(config.model.layers, config.model.window);
    const { perPosition: _, ...references } = hiddenTopicReferences(corpus, set, field);
    report.references = references;
  }
  return report;
}

function startLoop(config: Config, options: TrainOptions, corpus: Corpus, model: LatentModel,
  backend: string): Loop {
  const seed = config.train.seed;
  const loop: Loop = {
    config, model, corpus, options,
    optimizer: createAdamWState(),
    state: { step: 0, skippedBatches: 0 },
    batchRng: deriveRng(seed, 'batches'),
    noiseRng: deriveRng(seed, 'noise'),
    bytesPerToken: bytesPerToken(corpus),
    lastCheckpoint: null,
    damaged: [],
  };
  const { runDir } = options;
  const resumed = runDir !== null && options.resume
    ? resumeCheckpoint(runDir, namedParams(model.decoder.params)) : null;
  if (resumed !== null) {
    continueFrom(loop, resumed);
  } else if (runDir !== null) {
    createRunFolder(runDir, config, {
      name: options.name ?? 'run', seed, packageVersion: packageVersion(), backend,
      createdAt: new Date().toISOString(), node: process.version,
    });
  }
  if (runDir !== null && options.resume) forgetLostWork(runDir, loop.state.step);
  return loop;
}

/** Takes over the counters, random states and optimiser of the checkpoint a resume chose. */
function continueFrom(loop: Loop, resumed: ResumePoint): void {
  const { optimizer, state, checkpoint, step, damaged } = resumed;
  loop.optimizer = optimizer;
  loop.state = { step: state.step, skippedBatches: state.skippedBatches };
  loop.batchRng = restoreRng(state.batchRng);
  loop.noiseRng = restoreRng(state.noiseRng);
  loop.lastCheckpoint = checkpoint;
  loop.damaged = damagedFolders(resumed);
  loop.options.onEvent?.({ type: 'resume', checkpoint, step, damaged });
}

/** Steps until the budget is spent or a stop is asked for, then checkpoints. */
async function runSteps(loop: Loop): Promise<{ interrupted: boolean; wallSeconds: number }> {
  const started = Date.now();
  const tokensSeen = { count: 0 };
  let interrupted = false;
  while (loop.state.step < loop.config.train.steps) {
    // Lets signal handlers run between steps; the loop is otherwise synchronous.
    await nextTurn();
    if (loop.options.shouldStop?.()) {
      interrupted = true;
      break;
    }
    runStep(loop, started, tokensSeen);
    periodic(loop);
  }
  checkpoint(loop);
  return { interrupted, wallSeconds: (Date.now() - started) / 1000 };
}

function finalEvaluation(loop: Loop): EvalReport {
  const evaluation = evaluateSplit(loop.model, loop.corpus, loop.config, 'valid');
  if (loop.options.runDir !== null) writeJson(loop.options.runDir, 'eval-valid.json', evaluation);
  loop.options.onEvent?.({ type: 'eval', step: loop.state.step, report: evaluation });
  return evaluation;
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function bytesPerToken(corpus: Corpus): number {
  const { tokens, bytes } = corpus.summary.train;
  return tokens > 0 ? bytes / tokens : 1;
}

/**
 * Trains the model a config describes. Loads the corpus first, so bad input fails before
 * any file is written. Resolves when the step budget is spent or a stop was requested.
 */
export async function train(config: Config, options: TrainOptions): Promise<TrainResult> {
  const backend = await prepareBackend(config);
  const corpus = loadCorpus(config.data, config.model.sequenceLength);
  const model = createLatentModel(config, corpus.vocabSize);
  let loop: Loop;
  try {
    loop = startLoop(config, options, corpus, model, backend);
  } catch (error) {
    disposeDecoder(model.decoder);
    throw error;
  }
  options.onEvent?.({ type: 'start', backend, step: loop.state.step, steps: config.train.steps,
    parameters: namedParams(model.decoder.params).reduce((n, [, v]) => n + v.size, 0) });

  let run: { interrupted: boolean; wallSeconds: number };
  let evaluation: EvalReport | null = null;
  try {
    run = await runSteps(loop);
    if (!run.interrupted && options.finalEval !== false) evaluation = finalEvaluation(loop);
  } catch (error) {
    disposeDecoder(model.decoder);
    throw error;
  } finally {
    disposeAdamWState(loop.optimizer);
  }
  const { interrupted, wallSeconds } = run;
  return {
    model, corpus, backend, steps: loop.state.step, interrupted, wallSeconds, evaluation,
  };
}
