// Commands that work on latent thought models only (sweep, analyze, params, main) refuse a
// reasoner config with one message, rather than train a default language model in its place.
import type { Config } from '../config/index.js';
import { UsageError } from '../errors.js';

/** Throws a UsageError when `config` (read from `file`) is a reasoner's. */
export function requireLtmConfig(command: string, file: string, config: Config): void {
  if (config.kind === 'reasoner') {
    throw new UsageError(`${file}: a reasoner config; ltm ${command} works on latent thought `
      + 'models (train a reasoner with ltm train, measure it with ltm reason)');
  }
}
