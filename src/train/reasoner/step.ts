// One training step of the reasoner: deep supervision over several rounds. In each round the
// state carried from the previous round is a constant, the first transitions run outside the
// gradient tape, and one AdamW update follows the gradient of the last transition's loss:
// cell cross-entropy plus beta times the balanced KL between posterior and prior.
import { tf, type Scalar, type Tensor, type Tensor2D } from '../../backend/index.js';
import type { Config } from '../../config/index.js';
import { targetNll } from '../../decoder/index.js';
import { balancedKl } from '../../latents/index.js';
import type { Rng } from '../../random.js';
import {
  answerLogits, embedAnswers, embedInputs, initialState, trainableReasonerParams, transition,
  type NoiseSource, type ReasonerModel, type ReasonerState,
} from '../../sampling/index.js';
import { adamWUpdate, globalNorm, type AdamWState } from '../adamw.js';
import type { ReasonerBatch } from './batch.js';

/** What one step reports, read back from tensors. Losses in nats per answer cell. */
export interface ReasonerStepMetrics {
  /** Cross-entropy + beta * KL of the last round. */
  loss: number;
  /** Mean cell cross-entropy of the last round (posterior rollout). */
  crossEntropy: number;
  /** Mean over rounds of the cell cross-entropy. */
  meanCrossEntropy: number;
  /** KL(q || p) of the last round's supervised transition per answer cell, in nats. */
  kl: number;
  /** Mean over rounds of that KL; early rounds carry most of the choice of answer. */
  meanKl: number;
  /**
   * Share of answer cells right after the last round of the training rollout, which draws
   * its noise from the posterior when stochastic: a diagnostic of the posterior smuggling
   * the answer into h, not a measure of progress (only prior rollouts are).
   */
  trainCellAccuracy: number;
  /** Largest gradient norm over the rounds (before clipping). */
  gradNorm: number;
  lr: number;
  /** Rounds whose update was skipped because a value was not finite. */
  skippedUpdates: number;
}

/** The loss terms of one supervised transition, kept past the gradient tape. */
interface RoundOutcome {
  state: ReasonerState;
  crossEntropy: Tensor;
  kl: Tensor;
  correct: Tensor;
}

function noiseFor(model: ReasonerModel, rng: Rng, rows: number,
  answers: () => Tensor2D): NoiseSource {
  if (!model.shape.stochastic) return { kind: 'none' };
  const standard = tf.randomNormal([rows, model.shape.width], 0, 1, 'float32', rng.seed());
  return { kind: 'posterior', standard, answers: answers() };
}

/** The transitions of a round before the supervised one, outside any gradient tape. */
function unsupervisedTransitions(model: ReasonerModel, start: ReasonerState,
  batch: ReasonerBatch, rng: Rng): ReasonerState {
  const size = batch.tokens.shape[0];
  const rows = start.high.shape[0];
  let state = start;
  for (let t = 0; t < model.recursion.transitions - 1; t++) {
    const next = tf.tidy(() => {
      const embedded = embedInputs(model.params, batch.tokens);
      const noise = noiseFor(model, rng, rows,
        () => embedAnswers(model.params, batch.answers));
      const { high, low } = transition(model, state, embedded, noise, size).state;
      return { high, low };
    });
    if (state !== start) tf.dispose([state.high, state.low]);
    state = next;
  }
  return state;
}

/** The supervised transition under the gradient tape; returns the loss, keeps the rest. */
function supervisedLoss(model: ReasonerModel, config: Config, batch: ReasonerBatch, rng: Rng,
  before: ReasonerState, keep: (outcome: RoundOutcome) => void): Scalar {
  const size = batch.tokens.shape[0];
  const embedded = embedInputs(model.params, batch.tokens);
  const noise = noiseFor(model, rng, before.high.shape[0],
    () => embedAnswers(model.params, batch.answers));
  const result = transition(model, before, embedded, noise, size);
  const logits = answerLogits(model, result.state.high, size);
  const crossEntropy = targetNll(logits, batch.targets).mean();
  const { posterior, prior } = result;
  // NOTE: KL per answer cell (summed over D and all P positions, divided by the answer
  // cells), so beta weighs it against the cross-entropy per answer cell even where most
  // positions hold input only: averaged per position, a 7-node colouring's KL (28
  // positions, 7 answer cells) would weigh a quarter as much.
  const { positions, outputLength } = model.layout;
  const kl = posterior !== undefined && prior !== undefined
    ? balancedKl(posterior, prior, config.reasoner.klBalance).sum(1).mean()
      .mul(positions / outputLength)
    : tf.scalar(0);
  const correct = logits.argMax(1).equal(batch.targets).cast('float32').mean();
  // NOTE: copies, because tensors made under the tape are freed when it closes.
  keep({
    state: { high: tf.keep(result.state.high.clone()), low: tf.keep(result.state.low.clone()) },
    crossEntropy: tf.keep(crossEntropy.clone()),
    kl: tf.keep(kl.clone()),
    correct: tf.keep(correct),
  });
  return crossEntropy.add(kl.mul(config.reasoner.beta)) as Scalar;
}

/** One round: transitions, the supervised one under the tape, one AdamW update. */
function supervisedRound(model: ReasonerModel, optimizer: AdamWState, config: Config,
  batch: ReasonerBatch, rng: Rng, carried: ReasonerState, lr: number) {
  const before = unsupervisedTransitions(model, carried, batch, rng);
  const trainable = trainableReasonerParams(model.params);
  let outcome: RoundOutcome | undefined;
  const { value, grads } = tf.variableGrads(
    () => supervisedLoss(model, config, batch, rng, before, (kept) => { outcome = kept; }),
    trainable.map(([, variable]) => variable));
  if (before !== carried) tf.dispose([before.high, before.low]);

  const gradients = new Map<string, Tensor>();
  for (const [name, variable] of trainable) {
    if (grads[variable.name] !== undefined) gradients.set(name, grads[variable.name]);
  }
  const norm = globalNorm([...gradients.values()]);
  const loss = value.dataSync()[0];
  const gradNorm = norm.dataSync()[0];
  const finite = Number.isFinite(loss) && Number.isFinite(gradNorm);
  if (finite) adamWUpdate(trainable, gradients, optimizer, config.train, lr, norm);
  tf.dispose([value, norm, ...Object.values(grads)]);
  return { outcome: outcome as RoundOutcome, loss, gradNorm, finite };
}

/**
 * Runs one training step (supervisionRounds updates) on `batch` and updates the model in
 * place. `noiseRng` supplies every noise seed.
 */
export function reasonerTrainStep(model: ReasonerModel, optimizer: AdamWState, config: Config,
  batch: ReasonerBatch, noiseRng: Rng, lr: number): ReasonerStepMetrics {
  let state: ReasonerState = initialState(model.params, batch.tokens.shape[0]);
  const crossEntropies: number[] = [];
  const kls: number[] = [];
  let last: { loss: number; kl: number; correct: number } = { loss: 0, kl: 0, correct: 0 };
  let gradNorm = 0;
  let skippedUpdates = 0;
  for (let round = 0; round < model.recursion.supervisionRounds; round++) {
    const result = supervisedRound(model, optimizer, config, batch, noiseRng, state, lr);
    tf.dispose([state.high, state.low]);
    const { outcome } = result;
    state = outcome.state;
    crossEntropies.push(outcome.crossEntropy.dataSync()[0]);
    last = { loss: result.loss, kl: outcome.kl.dataSync()[0],
      correct: outcome.correct.dataSync()[0] };
    kls.push(last.kl);
    tf.dispose([outcome.crossEntropy, outcome.kl, outcome.correct]);
    gradNorm = Math.max(gradNorm, result.gradNorm);
    if (!result.finite) skippedUpdates += 1;
  }
  tf.dispose([state.high, state.low]);
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return {
    loss: last.loss,
    crossEntropy: crossEntropies[crossEntropies.length - 1],
    meanCrossEntropy: mean(crossEntropies),
    kl: last.kl,
    meanKl: mean(kls),
    trainCellAccuracy: last.correct,
    gradNorm, lr, skippedUpdates,
  };
}
