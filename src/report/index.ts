// Sweeps over config fields and reports with charts: the tools for trading decoder size
// against latent size and inference steps.
export { parseGridAxis, expandGrid, cellConfigs, checkGrid } from './grid.js';
export type { GridAxis, SweepCell } from './grid.js';
export { runSweep, planSweep } from './sweep.js';
export type {
  SweepEvent, SweepOptions, SweepOutcome, PlannedCell, CellStatus,
} from './sweep.js';
export {
  readSweepPlan, readSweepResults, cellDir, sweepFiles,
} from './sweep-folder.js';
export type { SweepPlan, SweepResult } from './sweep-folder.js';
export { writeReport, chartsOf, reportFile } from './report.js';
export type { ReportOutput } from './report.js';
export { readReportSource, innerStepsScalingFile } from './folder.js';
export type { ReportSource, RunRecord, InnerStepsScaling } from './folder.js';
export {
  parseReasonScaling, readReasonScaling, reasonScalingFile, writeReasonScaling,
} from './reasoner-scaling.js';
export type {
  ReasonScaling, WidthPoint, DepthPoint, AnswerRates,
} from './reasoner-scaling.js';
export { renderSvg, prefixIds } from './vega.js';
