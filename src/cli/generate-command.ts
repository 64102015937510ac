// `ltm generate`: text from a trained run, unconditional (latents from the prior) or
// continuing a prompt (latents inferred from it).
import { UsageError } from '../errors.js';
import { generateTokens } from '../sampling/generate.js';
import { loadRun } from '../train/load-run.js';
import { terminalOutput, type CliOutput } from './output.js';

export interface GenerateFlags {
  run: string;
  prompt?: string;
  samples: string;
  maxTokens: string;
  temperature: string;
  topK: string;
  seed: string;
  json?: boolean;
}

function number(flag: string, value: string, min: number, integer: boolean): number {
  const parsed = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(parsed) || parsed < min || (integer && !Number.isInteger(parsed))) {
    throw new UsageError(`${flag} ${value}: expected ${integer ? 'a whole number' : 'a number'} `
      + `of at least ${min}`);
  }
  return parsed;
}

export async function generateCommand(flags: GenerateFlags,
  output: CliOutput = terminalOutput): Promise<number> {
  const options = {
    samples: number('--samples', flags.samples, 1, true),
    maxTokens: number('--max-tokens', flags.maxTokens, 1, true),
    temperature: number('--temperature', flags.temperature, 0, false),
    topK: number('--top-k', flags.topK, 0, true),
    seed: number('--seed', flags.seed, 0, true),
  };
  const run = await loadRun(flags.run);
  const tokenizer = run.corpus.tokenizer;
  const prompt = flags.prompt === undefined ? [] : tokenizer.encode(flags.prompt);
  const texts = generateTokens(run.model, run.config, { ...options, prompt })
    .map((tokens) => tokenizer.decode(tokens));
  if (flags.json) {
    output.stdout(JSON.stringify({ prompt: flags.prompt ?? '', samples: texts }) + '\n');
    return 0;
  }
  texts.forEach((text, index) => {
    output.stdout(`--- sample ${index + 1} ---\n${flags.prompt ?? ''}${text}\n`);
  });
  return 0;
}
