// The reasoner's training loop: seeded batches of training puzzles, a deep-supervision step
// each, metric events, prior-rollout scores on the validation split, checkpoints, exact
// resume and a clean stop on request. It never prints: everything goes out as events.
import { initBackend, type BackendChoice } from '../../backend/index.js';
import type { Config } from '../../config/index.js';
import { NumericalError } from '../../errors.js';
import { deriveRng, restoreRng, type Rng } from '../../random.js';
import {
  blankExample, namedReasonerParams, reasonerParameterCount, reasonOverSplit,
  type ReasonerRun, type SplitReport,
} from '../../sampling/index.js';
import { createAdamWState, disposeAdamWState, type AdamWState } from '../adamw.js';
import { saveCheckpoint, type TrainingState } from '../checkpoint.js';
import {
  damagedFolders, forgetLostWork, resumeCheckpoint, type ResumePoint, type ResumeReport,
} from '../resume.js';
import { appendJsonLine, createRunFolder, packageVersion, writeJson } from '../run-folder.js';
import { learningRate } from '../schedule.js';
import { disposeBatch, drawReasonerBatch, type BatchSource } from './batch.js';
import { checkReasonerConfig, createReasonerRun } from './run.js';
import { reasonerTrainStep, type ReasonerStepMetrics } from './step.js';

/** A split report without its per-input rows, as events and metric files carry it. */
export type SplitSummary = Omit<SplitReport, 'rows'>;

/** What training reports as it goes; the command line turns these into output. */
export type ReasonerTrainEvent =
  | {
    type: 'start'; backend: string; step: number; steps: number; parameters: number;
    updatesPerStep: number; family: string; trainInputs: number; validInputs: number;
    testInputs: number;
  }
  | { type: 'step'; step: number; metrics: ReasonerStepMetrics; elapsedSeconds: number }
  | { type: 'log'; record: ReasonerMetricRecord }
  | { type: 'eval'; step: number; split: string; summary: SplitSummary }
  | { type: 'checkpoint'; step: number; path: string }
  | { type: 'skip'; step: number; reason: string }
  | ({ type: 'resume' } & ResumeReport);

/** One line of metrics.jsonl. */
export interface ReasonerMetricRecord extends ReasonerStepMetrics {
  step: number;
  elapsedSeconds: number;
  stepsPerSecond: number;
}

export interface ReasonerTrainOptions {
  /** Run folder; null trains in memory only (no checkpoints, no files). */
  runDir: string | null;
  /** Continue from the folder's latest checkpoint. */
  resume?: boolean;
  name?: string;
  onEvent?: (event: ReasonerTrainEvent) => void;
  /** Polled at every step boundary; true stops after a checkpoint. */
  shouldStop?: () => boolean;
  /** Score prior rollouts on the validation split at the end (default true). */
  finalEval?: boolean;
}

export interface ReasonerTrainResult {
  run: ReasonerRun;
  backend: string;
  steps: number;
  interrupted: boolean;
  /** Seconds spent in training steps, periodic scores and checkpoints of this call. */
  wallSeconds: number;
  evaluation: SplitSummary | null;
}

interface Loop {
  run: ReasonerRun;
  config: Config;
  source: BatchSource;
  optimizer: AdamWState;
  state: TrainingState;
  batchRng: Rng;
  noiseRng: Rng;
  options: ReasonerTrainOptions;
  started: number;
  /** Checkpoint folders the resume found damaged and no save has replaced yet. */
  damaged: string[];
}

export function summarise(report: SplitReport): SplitSummary {
  const { rows: _, ...summary } = report;
  return summary;
}

function nonFinite(metrics: ReasonerStepMetrics): string | null {
  if (!Number.isFinite(metrics.kl)) {
    return 'the KL is not finite; narrow reasoner.logSigmaMin/logSigmaMax or lower train.lr';
  }
  if (!Number.isFinite(metrics.loss) || !Number.isFinite(metrics.gradNorm)) {
    return 'the loss or its gradient is not finite; lower train.lr or set train.gradClip';
  }
  return null;
}

function checkpoint(loop: Loop): void {
  const { runDir, onEvent } = loop.options;
  if (runDir === null) return;
  const state: TrainingState = {
    ...loop.state, batchRng: loop.batchRng.state(), noiseRng: loop.noiseRng.state(),
  };
  const where = saveCheckpoint(runDir, { params: namedReasonerParams(loop.run.model.params),
    optimizer: loop.optimizer, state }, loop.config.train.keepCheckpoints, loop.damaged);
  loop.damaged = loop.damaged.filter((folder) => folder !== where);
  onEvent?.({ type: 'checkpoint', step: loop.state.step, path: where });
}

function runStep(loop: Loop): void {
  const { config, state, options } = loop;
  const { train } = config;
  const step = state.step;
  const lr = learningRate(step, train.steps, train.lr, train.minLr, train.warmupSteps);
  const batch = drawReasonerBatch(loop.source, train.batchSize, loop.batchRng);
  let metrics: ReasonerStepMetrics;
  try {
    metrics = reasonerTrainStep(loop.run.model, loop.optimizer, config, batch, loop.noiseRng,
      lr);
  } finally {
    disposeBatch(batch);
  }
  state.step += 1;
  loop.run.step = state.step;
  const fault = nonFinite(metrics);
  if (fault !== null) {
    if (train.onNonFinite === 'stop') {
      throw new NumericalError(state.step, `step ${state.step}: ${fault}. The last good `
        + 'checkpoint is kept; set train.onNonFinite to "skip" to drop such batches.');
    }
    state.skippedBatches += 1;
    options.onEvent?.({ type: 'skip', step: state.step, reason: fault });
  }
  const elapsed = (Date.now() - loop.started) / 1000;
  options.onEvent?.({ type: 'step', step: state.step, metrics, elapsedSeconds: elapsed });
  const logNow = step === 0 || state.step % train.logEvery === 0 || state.step === train.steps;
  if (logNow) {
    const record: ReasonerMetricRecord = { step: state.step, ...metrics,
      elapsedSeconds: elapsed, stepsPerSecond: state.step / Math.max(elapsed, 1e-9) };
    if (options.runDir !== null) appendJsonLine(options.runDir, 'metrics.jsonl', record);
    options.onEvent?.({ type: 'log', record });
  }
}

/** Prior rollouts on the first monitorInputs validation inputs. */
function monitor(loop: Loop): void {
  const { reasoner } = loop.config;
  const summary = summarise(reasonOverSplit(loop.run, { split: 'valid',
    inputs: reasoner.monitorInputs, samples: reasoner.monitorSamples }));
  const step = loop.state.step;
  if (loop.options.runDir !== null) {
    appendJsonLine(loop.options.runDir, 'evals.jsonl', { step, ...summary });
  }
  loop.options.onEvent?.({ type: 'eval', step, split: 'valid', summary });
}

function periodic(loop: Loop): void {
  const { train } = loop.config;
  const step = loop.state.step;
  if (train.evalEvery > 0 && step % train.evalEvery === 0 && step < train.steps) monitor(loop);
  if (train.checkpointEvery > 0 && step % train.checkpointEvery === 0 && step < train.steps) {
    checkpoint(loop);
  }
}

function batchSource(run: ReasonerRun): BatchSource {
  const share = run.config.puzzles.blankInputShare;
  return {
    family: run.family, layout: run.model.layout, examples: run.dataset.train,
    blank: share > 0 ? blankExample(run.family) : null, blankShare: share,
  };
}

function startLoop(run: ReasonerRun, options: ReasonerTrainOptions, backend: string): Loop {
  const { config } = run;
  const seed = config.train.seed;
  const loop: Loop = {
    run, config, options, source: batchSource(run),
    optimizer: createAdamWState(),
    state: { step: 0, batchRng: [] as never, noiseRng: [] as never, skippedBatches: 0 },
    batchRng: deriveRng(seed, 'batches'),
    noiseRng: deriveRng(seed, 'noise'),
    started: Date.now(),
    damaged: [],
  };
  const { runDir } = options;
  const resumed = runDir !== null && options.resume
    ? resumeCheckpoint(runDir, namedReasonerParams(run.model.params)) : null;
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
  loop.state = state;
  loop.batchRng = restoreRng(state.batchRng);
  loop.noiseRng = restoreRng(state.noiseRng);
  loop.run.step = state.step;
  loop.damaged = damagedFolders(resumed);
  loop.options.onEvent?.({ type: 'resume', checkpoint, step, damaged });
}

function startEvent(loop: Loop, backend: string): ReasonerTrainEvent {
  const { run, config } = loop;
  return {
    type: 'start', backend, step: loop.state.step, steps: config.train.steps,
    parameters: reasonerParameterCount(run.model),
    updatesPerStep: config.reasoner.supervisionRounds, family: run.family.name,
    trainInputs: run.dataset.train.length, validInputs: run.dataset.valid.length,
    testInputs: run.dataset.test.length,
  };
}

/** Scores the validation split at the end and writes eval-valid.json. */
function finalEvaluation(loop: Loop): SplitSummary {
  const { run, options } = loop;
  const summary = summarise(reasonOverSplit(run, { split: 'valid' }));
  if (options.runDir !== null) writeJson(options.runDir, 'eval-valid.json', summary);
  options.onEvent?.({ type: 'eval', step: loop.state.step, split: 'valid', summary });
  return summary;
}

/**
 * Trains the reasoner a config describes (config.kind must be 'reasoner'). Builds the
 * dataset first, so bad input fails before any file is written. Resolves when the step
 * budget is spent or a stop was requested.
 */
export async function trainReasoner(config: Config,
  options: ReasonerTrainOptions): Promise<ReasonerTrainResult> {
  checkReasonerConfig(config, 'config');
  const backend = await initBackend(config.backend as BackendChoice);
  const run = createReasonerRun(config, options.runDir);
  const loop = startLoop(run, options, backend);
  options.onEvent?.(startEvent(loop, backend));

  let interrupted = false;
  try {
    while (loop.state.step < config.train.steps) {
      // NOTE: a step is synchronous; yielding lets signal handlers run between steps.
      await new Promise((resolve) => setImmediate(resolve));
      if (options.shouldStop?.()) {
        interrupted = true;
        break;
      }
      runStep(loop);
      periodic(loop);
    }
    checkpoint(loop);
  } finally {
    disposeAdamWState(loop.optimizer);
  }
  const wallSeconds = (Date.now() - loop.started) / 1000;
  if (options.runDir !== null) {
    writeJson(options.runDir, 'summary.json', { steps: loop.state.step, wallSeconds, backend,
      parameters: reasonerParameterCount(run.model), interrupted });
  }
  const evaluation = !interrupted && options.finalEval !== false ? finalEvaluation(loop) : null;
  return { run, backend, steps: loop.state.step, interrupted, wallSeconds, evaluation };
}
