// The GRAM-style recursive reasoner: model, sampling, scoring and answers in one import.
export { layoutOf, stateTokens, answerTokensOverState } from './layout.js';
export type { SequenceLayout } from './layout.js';
export {
  createReasonerParams, namedReasonerParams, trainableReasonerParams, countReasonerParams,
  disposeReasonerParams,
} from './params.js';
export type {
  ReasonerShape, ReasonerParams, MixingBlockParams, GuidanceHeadParams,
} from './params.js';
export { mixingBlock } from './block.js';
export { embedInputs, embedAnswers, initialState } from './encoder.js';
export { priorNoise, posteriorNoise, drawNoise } from './guidance.js';
export type { SigmaRange } from './guidance.js';
export {
  createReasonerModel, disposeReasonerModel, inferenceRoundsOf, reasonerParameterCount,
  reasonerShapeOf, recursionOf,
} from './model.js';
export type { ReasonerModel, RecursionSettings } from './model.js';
export { transition } from './transition.js';
export type { NoiseSource, ReasonerState, TransitionResult } from './transition.js';
export { answerLogits } from './readout.js';
export { sampleAnswerTokens, trajectoryNoise, trajectoryStreams } from './sample.js';
export type { RolloutOptions } from './sample.js';
export { blankExample, countPuzzleSolutions, datasetOf, familyOf } from './puzzles.js';
export type { AnyFamily, SolutionCount } from './puzzles.js';
export { reasoningOptions } from './run.js';
export type { ReasonerRun, ReasoningOptions } from './run.js';
export {
  coverageCheckpoints, reasonOverSplit, reasonOverSplitWidths, scoreExamples, scoreExampleWidths,
} from './evaluate.js';
export type { InputScoreRow, ScoreOptions, SplitOptions, SplitReport } from './evaluate.js';
export { generateUnconditional, reasonOnPuzzles } from './answers.js';
export type { DistinctAnswer, PuzzleAnswers } from './answers.js';
export { reasonerScaling } from './scaling.js';
export type {
  BaselineScores, ReasonerScaling, ScalingOptions, ScalingRates,
} from './scaling.js';
