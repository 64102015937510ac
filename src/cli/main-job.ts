// `ltm main` (npm start): trains the default LTM and its AR baseline on the same tokens,
// then prints their held-out numbers side by side, with references and samples.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, resolveConfig } from '../config/index.js';
import { UsageError } from '../errors.js';
import { generateTokens } from '../sampling/generate.js';
import { defaultRunDir, writeJson } from '../train/run-folder.js';
import type { TrainResult } from '../train/trainer.js';
import { fixed } from './format.js';
import { lineWriter, terminalOutput, type CliOutput } from './output.js';
import { reportTable } from './report-table.js';
import { runTraining } from './train-command.js';

export interface MainFlags {
  config?: string;
  set: string[];
  run?: string;
}

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function sample(result: TrainResult, config: ReturnType<typeof resolveConfig>): string {
  const tokens = generateTokens(result.model, config, {
    prompt: [], samples: 1, maxTokens: 200, temperature: 0.8, topK: 0, seed: 7,
  })[0];
  return result.corpus.tokenizer.decode(tokens).replace(/\s+/g, ' ').trim();
}

export async function mainJob(flags: MainFlags,
  output: CliOutput = terminalOutput): Promise<number> {
  const file = flags.config ?? path.join(packageRoot, 'configs', 'default.json');
  const { config, name } = loadConfig(file, flags.set);
  const arConfig = resolveConfig(config, ['latents.enabled=false']);
  const root = flags.run ?? defaultRunDir(`main-${name}`);
  if (fs.existsSync(root)) {
    throw new UsageError(`--run ${root}: the folder exists; pass a new --run folder`);
  }
  const out = lineWriter(output);
  out(`Training the latent thought model and its autoregressive baseline on the same `
    + `${config.train.steps * config.train.batchSize * config.model.sequenceLength} tokens `
    + `into ${root}`);

  const ltm = await runTraining(config, name, path.join(root, 'ltm'), false, 'ltm', out);
  if (ltm.interrupted) return 130;
  const ar = await runTraining(arConfig, `${name}-ar`, path.join(root, 'ar'), false, 'ar', out);
  if (ar.interrupted) return 130;

  const unigram = ltm.corpus.unigramEntropyBitsPerByte('valid');
  out('');
  out(`Held-out (validation split) numbers, ${ltm.evaluation!.sequences} sequences of `
    + `${config.model.sequenceLength} tokens:`);
  out(reportTable([
    { label: 'LTM', report: ltm.evaluation!, wallSeconds: ltm.wallSeconds },
    { label: 'AR baseline', report: ar.evaluation!, wallSeconds: ar.wallSeconds },
  ]));
  out(`unigram entropy of the validation text: ${fixed(unigram)} bits/byte`);
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
