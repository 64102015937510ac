// `ltm infer`: the posterior means and variances of a user's text, window by window, as JSON.
import fs from 'node:fs';
import { tf } from '../backend/index.js';
import { UsageError } from '../errors.js';
import { loadRun } from '../train/load-run.js';
import { deriveRng } from '../random.js';
import { fitPosterior } from '../vi/inner-loop.js';
import { textWindows } from './eval-command.js';
import { checkFileFlag } from './folder-flag.js';
import { terminalOutput, type CliOutput } from './output.js';

export interface InferFlags {
  run: string;
  text: string;
  out?: string;
}

export async function inferCommand(flags: InferFlags,
  output: CliOutput = terminalOutput): Promise<number> {
  if (flags.out !== undefined) checkFileFlag('--out', flags.out, 'posteriors.json');
  const run = await loadRun(flags.run);
  if (run.model.inference === null) {
    throw new UsageError(`${flags.run}: an AR baseline run (latents.enabled false) has no `
      + 'latents to infer; pass a run trained with latents');
  }
  const set = textWindows(run, flags.text);
  const rng = deriveRng(run.config.train.seed, 'infer');
  const width = set.length;
  const windows = [];
  for (let row = 0; row < set.count; row++) {
    const all = tf.tensor2d(set.tokens.subarray(row * width, (row + 1) * width), [1, width],
      'int32');
    const batch = {
      tokens: all.slice([0, 0], [1, width - 1]), targets: all.slice([0, 1], [1, width - 1]),
      weights: null,
    };
    const { posterior } = fitPosterior(run.model.decoder, batch, run.model.inference, rng);
    windows.push({
      start: row * width,
      text: run.corpus.tokenizer.decode(Array.from(set.tokens.subarray(row * width,
        (row + 1) * width))),
      mean: posterior.mu.arraySync(),
      variance: tf.tidy(() => posterior.logVar.exp().arraySync()),
    });
    tf.dispose([all, batch.tokens, batch.targets, posterior.mu, posterior.logVar]);
  }
  const shape = { layers: run.config.model.layers, perLayer: run.config.latents.perLayer,
    dim: run.config.latents.dim };
  const json = JSON.stringify({ run: flags.run, text: flags.text, shape, windows });
  if (flags.out !== undefined) fs.writeFileSync(flags.out, json + '\n');
  else output.stdout(json + '\n');
  return 0;
}
