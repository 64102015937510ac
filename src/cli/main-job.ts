// `ltm main` (npm start): trains the default LTM and its AR baseline on the same tokens,
// then prints their held-out numbers side by side, with references and samples.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, resolveConfig, type Config } from '../config/index.js';
import { scoreUnit } from '../data/index.js';
import { UsageError } from '../errors.js';
import { generateTokens } from '../sampling/generate.js';
import { defaultRunDir, readRun, writeJson } from '../train/run-folder.js';
import type { TrainResult } from '../train/trainer.js';
import { checkFolderFlag } from './folder-flag.js';
import { fixed, shellWord } from './format.js';
import { lineWriter, terminalOutput, type CliOutput } from './output.js';
import { reportTable } from './report-table.js';
import { runTraining } from './train-command.js';

export interface MainFlags {
  config?: string;
  set: string[];
  run?: string;
  resume?: boolean;
}

/** The two runs of the job: the LTM's config, its name, and the root folder of both. */
interface MainTarget {
  config: Config;
  name: string;
  root: string;
}

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function sample(result: TrainResult, config: ReturnType<typeof resolveConfig>): string {
  const tokens = generateTokens(result.model, config, {
    prompt: [], samples: 1, maxTokens: 200, temperature: 0.8, topK: 0, seed: 7,
  })[0];
  return result.corpus.tokenizer.decode(tokens).replace(/\s+/g, ' ').trim();
}

/** The job compares a model with latents against its twin without: refuse anything else. */
function checkMainConfig(file: string, config: Config): void {
  if (config.kind === 'reasoner') {
    throw new UsageError(`${file}: a reasoner config; ltm main compares a latent thought model `
      + 'with its autoregressive twin. Train a reasoner with ltm train --config FILE');
  }
  if (!config.latents.enabled) {
    throw new UsageError(`${file}: latents.enabled is false, so both runs of ltm main would be `
      + 'autoregressive; drop that setting (ltm train trains one model without latents)');
  }
}

/**
 * A new job from the config file (the default one unless given), or, with --resume, the job
 * in --run with the config its LTM run saved.
 */
function resolveMainTarget(flags: MainFlags): MainTarget {
  if (flags.resume) {
    if (flags.run === undefined || flags.run.trim() === '') {
      throw new UsageError('--resume needs --run DIR');
    }
    if (flags.config !== undefined || flags.set.length > 0) {
      throw new UsageError('--resume continues with the job\'s saved config; drop --config '
        + 'and --set');
    }
    if (!fs.existsSync(path.join(flags.run, 'ltm', 'config.json'))) {
      throw new UsageError(`--run ${flags.run}: no job to resume there (no ltm/config.json); `
        + 'pass the folder ltm main wrote');
    }
    const { config, meta } = readRun(path.join(flags.run, 'ltm'));
    return { config, name: meta.name, root: flags.run };
  }
  const file = flags.config ?? path.join(packageRoot, 'configs', 'default.json');
  const { config, name } = loadConfig(file, flags.set);
  checkMainConfig(file, config);
  const root = flags.run ?? defaultRunDir(`main-${name}`);
  checkFolderFlag('--run', root);
  if (fs.existsSync(root)) {
    throw new UsageError(`--run ${root}: the folder exists; pass a new --run folder, or `
      + '--resume to continue the job in it');
  }
  return { config, name, root };
}

/** Trains one of the two runs, resuming it when the job resumes and the run has begun. */
function trainPart(config: Config, name: string, dir: string, resume: boolean,
  label: string, out: (line: string) => void): Promise<TrainResult> {
  const begun = resume && fs.existsSync(path.join(dir, 'config.json'));
  return runTraining(config, name, dir, begun, label, out);
}

export async function mainJob(flags: MainFlags,
  output: CliOutput = terminalOutput): Promise<number> {
  const { config, name, root } = resolveMainTarget(flags);
  const arConfig = resolveConfig(config, ['latents.enabled=false']);
  const resume = flags.resume === true;
  const out = lineWriter(output);
  out(`Training the latent thought model and its autoregressive baseline on the same `
    + `${config.train.steps * config.train.batchSize * config.model.sequenceLength} tokens `
    + `into ${root}`);
  const stopped = (part: string, result: TrainResult) => {
    out(`stopped at step ${result.steps} of the ${part} run; continue with: npx ltm main --run `
      + `${shellWord(root)} --resume`);
    return 130;
  };

  const ltm = await trainPart(config, name, path.join(root, 'ltm'), resume, 'ltm', out);
  if (ltm.interrupted) return stopped('ltm', ltm);
  const ar = await trainPart(arConfig, `${name}-ar`, path.join(root, 'ar'), resume, 'ar', out);
  if (ar.interrupted) return stopped('ar', ar);

  const unigram = ltm.corpus.unigramEntropyBitsPerByte('valid');
  const unit = scoreUnit(config.data.kind);
  out('');
  out(`Held-out (validation split) numbers, ${ltm.evaluation!.sequences} sequences of `
    + `${config.model.sequenceLength} tokens:`);
  out(reportTable([
    { label: 'LTM', report: ltm.evaluation!, wallSeconds: ltm.wallSeconds },
    { label: 'AR baseline', report: ar.evaluation!, wallSeconds: ar.wallSeconds },
  ], config.data.kind));
  out(`unigram entropy of the validation text: ${fixed(unigram)} bits/${unit}`);
  const samples = { ltm: sample(ltm, config), ar: sample(ar, arConfig) };
  out(`\nLTM sample (latents from the prior):\n  ${samples.ltm}`);
  out(`AR sample:\n  ${samples.ar}`);
  writeJson(root, 'summary.json', {
    config: name, unigramBitsPerByte: unigram, ltm: ltm.evaluation, ar: ar.evaluation,
    ltmWallSeconds: ltm.wallSeconds, arWallSeconds: ar.wallSeconds, samples,
  });
  out(`\nrun folders: ${path.join(root, 'ltm')} and ${path.join(root, 'ar')}`);
  return 0;
}
