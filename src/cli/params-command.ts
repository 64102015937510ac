// `ltm params`: the decoder's parameter count and the latent size a config implies,
// without training (the count does not depend on latents.perLayer).
import { initBackend, tf } from '../backend/index.js';
import { loadConfig } from '../config/index.js';
import { UsageError } from '../errors.js';
import { createTokenizer } from '../data/index.js';
import { createDecoder, decoderParameterCount, disposeDecoder } from '../decoder/index.js';
import { decoderShapeOf, latentFloatsPerSequence } from '../vi/model.js';
import { table } from './format.js';
import { terminalOutput, type CliOutput } from './output.js';

export interface ParamsFlags {
  config: string;
  set: string[];
  json?: boolean;
}

function vocabularyOf(kind: string, tokenizer: 'bytes' | 'gpt2', alphabet: number,
  vocab: number): number {
  if (kind === 'hidden-topic') return alphabet;
  if (kind === 'hierarchy') return vocab + 1;
  return createTokenizer(tokenizer).vocabSize;
}

export async function paramsCommand(flags: ParamsFlags,
  output: CliOutput = terminalOutput): Promise<number> {
  const { config, name } = loadConfig(flags.config, flags.set);
  if (config.kind === 'reasoner') {
    throw new UsageError(`${flags.config}: a reasoner config; params counts latent thought `
      + 'models (ltm train prints a reasoner\'s parameter count when it starts)');
  }
  await initBackend('cpu');
  const vocabSize = vocabularyOf(config.data.kind, config.data.tokenizer, config.data.alphabet,
    config.data.vocab);
  const decoder = createDecoder(decoderShapeOf(config, vocabSize), config.model.initStd, 0);
  const result = {
    config: name,
    decoderParameters: decoderParameterCount(decoder),
    latentFloatsPerSequence: latentFloatsPerSequence(config),
    latentsPerLayer: config.latents.enabled ? config.latents.perLayer : 0,
    vocabSize,
  };
  disposeDecoder(decoder);
  tf.disposeVariables();
  if (flags.json) {
    output.stdout(JSON.stringify(result) + '\n');
  } else {
    const rows = Object.entries(result).map(([key, value]) => [key, String(value)]);
    output.stdout(table([['field', 'value'], ...rows]) + '\n');
  }
  return 0;
}
