// A reasoner as a config describes it for one puzzle family: the layout of its state, its
// architecture, its weights and the recursion settings that training and inference share.
import type { Config } from '../../config/index.js';
import type { PuzzleFamily } from '../../tasks/index.js';
import type { SigmaRange } from './guidance.js';
import { layoutOf, type SequenceLayout } from './layout.js';
import {
  countReasonerParams, createReasonerParams, disposeReasonerParams, type ReasonerParams,
  type ReasonerShape,
} from './params.js';

/** How deep the recursion runs. */
export interface RecursionSettings extends SigmaRange {
  /** Low-level refinements per transition. */
  lowSteps: number;
  /** Transitions per round. */
  transitions: number;
  /** Rounds per training step. */
  supervisionRounds: number;
}

export interface ReasonerModel {
  layout: SequenceLayout;
  shape: ReasonerShape;
  params: ReasonerParams;
  recursion: RecursionSettings;
}

/** The architecture a config asks for on a family's layout. */
export function reasonerShapeOf(config: Config, layout: SequenceLayout): ReasonerShape {
  const { reasoner } = config;
  return {
    positions: layout.positions,
    width: reasoner.width,
    inputVocab: layout.inputVocab,
    outputVocab: layout.outputVocab,
    mixHidden: Math.max(1, Math.round(reasoner.mixExpansion * layout.positions)),
    mlpHidden: Math.max(1, Math.round(reasoner.mlpExpansion * reasoner.width)),
    headHidden: reasoner.headHidden,
    stochastic: reasoner.stochastic,
    initSigma: reasoner.initSigma,
  };
}

export function recursionOf(config: Config): RecursionSettings {
  const { reasoner } = config;
  return {
    lowSteps: reasoner.lowSteps,
    transitions: reasoner.transitions,
    supervisionRounds: reasoner.supervisionRounds,
    logSigmaMin: reasoner.logSigmaMin,
    logSigmaMax: reasoner.logSigmaMax,
  };
}

/** A fresh model with weights drawn from the run seed. */
export function createReasonerModel<P>(config: Config, family: PuzzleFamily<P>): ReasonerModel {
  const layout = layoutOf(family);
  const shape = reasonerShapeOf(config, layout);
  return {
    layout, shape, params: createReasonerParams(shape, config.train.seed),
    recursion: recursionOf(config),
  };
}

/** Inference rounds a config asks for (0 means the training depth). */
export function inferenceRoundsOf(config: Config): number {
  const { inferenceRounds, supervisionRounds } = config.reasoner;
  return inferenceRounds === 0 ? supervisionRounds : inferenceRounds;
}

export function reasonerParameterCount(model: ReasonerModel): number {
  return countReasonerParams(model.params);
}

export function disposeReasonerModel(model: ReasonerModel): void {
  disposeReasonerParams(model.params);
}
