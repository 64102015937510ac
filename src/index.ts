// The public API of latent-thought: configs, data, models, inference, training, evaluation
// and generation. The command line is a thin layer over these.
export { initBackend, tf } from './backend/index.js';
export type { BackendChoice } from './backend/index.js';
export {
  configSchema, loadConfig, resolveConfig, validateConfig, applyOverrides,
} from './config/index.js';
export type { Config, LoadedConfig } from './config/index.js';
export { configReference } from './config/reference.js';
export {
  loadCorpus, createTokenizer, hiddenTopicReferences, receptiveField, bitsPerByte,
} from './data/index.js';
export type { Corpus, HeldOutSet, Tokenizer } from './data/index.js';
export {
  createDecoder, decoderParameterCount, tokenNll, decoderLogits,
} from './decoder/index.js';
export type { Decoder, DecoderShape } from './decoder/index.js';
export {
  initialPosterior, reparameterise, klToStandardNormal, klBetween, standardNormal,
} from './latents/index.js';
export type { Gaussian } from './latents/index.js';
export { fitPosterior, innerObjective } from './vi/inner-loop.js';
export type { InnerLoopSettings, InferenceBatch, InnerLoopResult } from './vi/inner-loop.js';
export {
  createLatentModel, latentFloatsPerSequence, inferenceSettingsOf,
} from './vi/model.js';
export type { LatentModel } from './vi/model.js';
export { evaluate } from './vi/evaluate.js';
export type { EvalReport } from './vi/evaluate.js';
export { generateTokens, generateText } from './sampling/generate.js';
export type { GenerateOptions, TextOptions } from './sampling/generate.js';
export { train, evaluateSplit } from './train/trainer.js';
export type { TrainEvent, TrainOptions, TrainResult, MetricRecord } from './train/trainer.js';
export { loadRun } from './train/load-run.js';
export type { LoadedRun } from './train/load-run.js';
export {
  runSweep, planSweep, parseGridAxis, readSweepResults, writeReport, parseReasonScaling,
} from './report/index.js';
export type {
  GridAxis, SweepEvent, SweepOptions, SweepOutcome, SweepResult, ReportOutput, ReasonScaling,
} from './report/index.js';
export { dependence } from './analyze/canonical.js';
export type { Dependence, Variable } from './analyze/canonical.js';
export { analyzeDependence } from './analyze/run-dependence.js';
export type { DependenceReport } from './analyze/dependence.js';
export { analyzeSpectrum } from './analyze/run-spectrum.js';
export type { SpectrumReport } from './analyze/run-spectrum.js';
export { entropyReport, scoreTokens } from './analyze/entropy.js';
export type { EntropyReport } from './analyze/entropy.js';
export { sampleEfficiency } from './analyze/sample-efficiency.js';
export type { SampleEfficiencyReport } from './analyze/sample-efficiency.js';
export { createHierarchyCorpus, sampleGrammar, parseTokens } from './data/index.js';
export type { HierarchyCorpus, Grammar } from './data/index.js';
export {
  ConfigError, DataError, ShapeError, CheckpointError, NumericalError, UsageError,
} from './errors.js';
