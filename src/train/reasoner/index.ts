// Training and opening reasoner runs in one import.
export { trainReasoner, summarise } from './trainer.js';
export type {
  ReasonerMetricRecord, ReasonerTrainEvent, ReasonerTrainOptions, ReasonerTrainResult,
  SplitSummary,
} from './trainer.js';
export { reasonerTrainStep } from './step.js';
export type { ReasonerStepMetrics } from './step.js';
export { drawReasonerBatch, disposeBatch } from './batch.js';
export type { BatchSource, ReasonerBatch } from './batch.js';
export { checkReasonerConfig, createReasonerRun, loadReasonerRun } from './run.js';
