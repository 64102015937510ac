// Opening a finished (or interrupted) run: its config, its corpus and its model with the
// weights of the latest checkpoint.
import type { Config } from '../config/index.js';
import { loadCorpus, type Corpus } from '../data/index.js';
import { namedParams } from '../decoder/index.js';
import { CheckpointError, UsageError } from '../errors.js';
import { createLatentModel, type LatentModel } from '../vi/model.js';
import { disposeAdamWState } from './adamw.js';
import { restoreCheckpoint } from './checkpoint.js';
import { verifiedLatest } from './resume.js';
import { readRun, type RunMeta } from './run-folder.js';
import { prepareBackend } from './trainer.js';

export interface LoadedRun {
  dir: string;
  config: Config;
  meta: RunMeta;
  corpus: Corpus;
  model: LatentModel;
  /** Training steps behind the loaded weights. */
  step: number;
  backend: string;
}

/**
 * Loads a run folder written by `train`. `overrides` changes settings that do not touch the
 * architecture (e.g. `vi.innerSteps` for inference-time scaling); the caller validates them.
 */
export async function loadRun(dir: string, config?: Config): Promise<LoadedRun> {
  const saved = readRun(dir);
  if (saved.config.kind === 'reasoner') {
    throw new UsageError(`${dir}: a reasoner run; use ltm reason --run ${dir}`);
  }
  const resolved = config ?? saved.config;
  const checkpoint = verifiedLatest(dir);
  if (checkpoint === null) {
    throw new CheckpointError(`${dir}: no checkpoint yet (latest.json is missing); train `
      + 'longer or resume the run');
  }
  const backend = await prepareBackend(resolved);
  const corpus = loadCorpus(resolved.data, resolved.model.sequenceLength);
  const model = createLatentModel(resolved, corpus.vocabSize);
  const { optimizer, state } = restoreCheckpoint(checkpoint, namedParams(model.decoder.params));
  disposeAdamWState(optimizer);
  return { dir, config: resolved, meta: saved.meta, corpus, model, step: state.step, backend };
}
