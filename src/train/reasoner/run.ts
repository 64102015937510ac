// Building a reasoner run from a config (fresh) or from a run folder (trained weights from
// its latest checkpoint).
import { initBackend, type BackendChoice } from '../../backend/index.js';
import type { Config } from '../../config/index.js';
import { CheckpointError, ConfigError } from '../../errors.js';
import {
  createReasonerModel, datasetOf, familyOf, namedReasonerParams, type ReasonerRun,
} from '../../sampling/index.js';
import { disposeAdamWState } from '../adamw.js';
import { restoreCheckpoint } from '../checkpoint.js';
import { verifiedLatest } from '../resume.js';
import { readRun } from '../run-folder.js';

/** Throws ConfigError unless the config describes a reasoner. */
export function checkReasonerConfig(config: Config, source: string): void {
  if (config.kind !== 'reasoner') {
    throw new ConfigError(`${source}: kind is '${config.kind}', not 'reasoner'; set "kind": `
      + '"reasoner" or use a language-model command');
  }
}

/** A fresh run in memory: dataset, family and a model with initial weights. */
export function createReasonerRun(config: Config, runDir: string | null = null): ReasonerRun {
  const family = familyOf(config);
  const dataset = datasetOf(config, family);
  return { config, family, dataset, model: createReasonerModel(config, family), step: 0,
    runDir };
}

/**
 * Opens a trained reasoner: reads and validates the folder's config, starts its backend,
 * rebuilds the (seeded) dataset and loads the latest checkpoint's weights.
 */
export async function loadReasonerRun(runDir: string,
  options: { backend?: BackendChoice } = {}): Promise<ReasonerRun> {
  const { config } = readRun(runDir);
  checkReasonerConfig(config, `${runDir}/config.json`);
  await initBackend(options.backend ?? config.backend as BackendChoice);
  const checkpoint = verifiedLatest(runDir);
  if (checkpoint === null) {
    throw new CheckpointError(`${runDir}: no checkpoint yet (no latest.json); let training `
      + 'reach its first checkpoint, or train again');
  }
  const run = createReasonerRun(config, runDir);
  const loaded = restoreCheckpoint(checkpoint, namedReasonerParams(run.model.params));
  disposeAdamWState(loaded.optimizer);
  return { ...run, step: loaded.state.step };
}
