// `ltm train`: trains the model a config describes into a run folder.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../config/index.js';
import { scoreUnit } from '../data/index.js';
import { UsageError } from '../errors.js';
import { defaultRunDir, readRun } from '../train/run-folder.js';
import { train, type TrainResult } from '../train/trainer.js';
import { checkFolderFlag } from './folder-flag.js';
import { shellWord } from './format.js';
import { lineWriter, terminalOutput, type CliOutput } from './output.js';
import { progressPrinter } from './progress.js';
import { reportTable } from './report-table.js';
import { listenForStop, stoppingLine } from './signals.js';

export interface TrainFlags {
  config?: string;
  set: string[];
  run?: string;
  resume?: boolean;
}

/** The config and run folder a train command means, checked before anything is written. */
export function resolveTrainTarget(flags: TrainFlags):
  { config: Config; name: string; dir: string } {
  if (flags.resume) {
    if (flags.run === undefined || flags.run.trim() === '') {
      throw new UsageError('--resume needs --run DIR');
    }
    if (flags.config !== undefined || flags.set.length > 0) {
      throw new UsageError('--resume continues with the run\'s saved config; drop --config '
        + 'and --set');
    }
    const { config, meta } = readRun(flags.run);
    return { config, name: meta.name, dir: flags.run };
  }
  if (flags.config === undefined) throw new UsageError('train needs --config FILE');
  const { config, name } = loadConfig(flags.config, flags.set);
  const dir = flags.run ?? defaultRunDir(name);
  checkFolderFlag('--run', dir);
  if (fs.existsSync(dir) && !fs.existsSync(path.join(dir, 'config.json'))
    && fs.readdirSync(dir).length > 0) {
    throw new UsageError(`--run ${dir}: the folder holds other files; choose a new or empty `
      + 'folder');
  }
  if (fs.existsSync(path.join(dir, 'config.json'))) {
    throw new UsageError(`${dir} already holds a run; pass --resume to continue it or choose `
      + 'another --run folder');
  }
  return { config, name, dir };
}

/** Trains with progress output; returns the result (or null if stopped early). */
export async function runTraining(config: Config, name: string, dir: string, resume: boolean,
  label: string, out: (line: string) => void): Promise<TrainResult> {
  const stop = listenForStop((cause) => out(stoppingLine(label, cause)));
  try {
    return await train(config, {
      runDir: dir, resume, name, onEvent: progressPrinter(label, out, scoreUnit(config.data.kind)),
      shouldStop: stop.requested,
    });
  } finally {
    stop.release();
  }
}

export async function trainCommand(flags: TrainFlags,
  output: CliOutput = terminalOutput): Promise<number> {
  const { config, name, dir } = resolveTrainTarget(flags);
  const out = lineWriter(output);
  if (config.kind === 'reasoner') {
    const { trainReasonerCommand } = await import('./reason-train.js');
    return trainReasonerCommand(config, name, dir, flags.resume === true, out);
  }
  const result = await runTraining(config, name, dir, flags.resume === true, name, out);
  if (result.interrupted) {
    out(`stopped at step ${result.steps}; resume with: npx ltm train --run ${shellWord(dir)} `
      + '--resume');
    return 130;
  }
  if (result.evaluation !== null) {
    out(reportTable([{ label: name, report: result.evaluation, wallSeconds: result.wallSeconds }],
      config.data.kind));
  }
  out(`run folder: ${dir}`);
  return 0;
}
