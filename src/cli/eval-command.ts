// `ltm eval`: scores a trained run on a held-out split or on a user's text file.
import fs from 'node:fs';
import { resolveConfig } from '../config/index.js';
import { DataError, UsageError } from '../errors.js';
import type { HeldOutSet } from '../data/index.js';
import { innerStepsScalingFile } from '../report/folder.js';
import { loadRun, type LoadedRun } from '../train/load-run.js';
import { writeJson } from '../train/run-folder.js';
import { evaluateSplit } from '../train/trainer.js';
import { evaluate, type EvalReport } from '../vi/evaluate.js';
import { inferenceSettingsOf } from '../vi/model.js';
import { lineWriter, terminalOutput, type CliOutput } from './output.js';
import { reportTable } from './report-table.js';

export interface EvalFlags {
  run: string;
  split: 'valid' | 'test';
  text?: string;
  innerSteps?: string;
  json?: boolean;
  /** With innerSteps: write inner-steps-scaling.json into the run folder. */
  save?: boolean;
}

/** Non-overlapping windows of T + 1 tokens from a user's text file. */
export function textWindows(run: LoadedRun, file: string): HeldOutSet {
  let contents: Buffer;
  try {
    contents = fs.readFileSync(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'EISDIR' ? 'is a folder'
      : 'cannot be read';
    throw new DataError(`${file}: ${reason}; pass the path of a plain-text file`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(contents);
  } catch {
    throw new DataError(`${file}: cannot read it as UTF-8 text; pass a plain-text file`);
  }
  const tokens = run.corpus.tokenizer.encode(text);
  const width = run.config.model.sequenceLength + 1;
  const count = Math.floor(tokens.length / width);
  if (count === 0) {
    throw new DataError(`${file}: ${tokens.length} tokens, shorter than one sequence of `
      + `${width}; pass a longer text`);
  }
  const rows = Int32Array.from(tokens.slice(0, count * width));
  let bytes = 0;
  for (let row = 0; row < count; row++) {
    bytes += run.corpus.tokenizer.byteLength(rows.subarray(row * width + 1, (row + 1) * width));
  }
  return { tokens: rows, count, length: width, bytes };
}

function parseSteps(list: string): number[] {
  const steps = list.split(',').map((part) => part.trim() === '' ? NaN : Number(part));
  if (steps.some((value) => !Number.isInteger(value) || value < 0 || value > 1024)) {
    throw new UsageError(`--inner-steps ${list}: expected a comma-separated list of whole `
      + 'numbers from 0 to 1024, such as 1,2,4,8');
  }
  return steps;
}

function scoreOnce(run: LoadedRun, flags: EvalFlags): EvalReport {
  if (flags.text !== undefined) {
    return evaluate(run.model, textWindows(run, flags.text), run.config);
  }
  return evaluateSplit(run.model, run.corpus, run.config, flags.split);
}

export async function evalCommand(flags: EvalFlags,
  output: CliOutput = terminalOutput): Promise<number> {
  if (flags.save && flags.innerSteps === undefined) {
    throw new UsageError('--save writes inner-steps-scaling.json; add --inner-steps, e.g. '
      + '--inner-steps 0,1,2,4,8');
  }
  // Flags first, so a typo fails before the model loads.
  const steps = flags.innerSteps === undefined ? [] : parseSteps(flags.innerSteps);
  const run = await loadRun(flags.run);
  const out = lineWriter(output);
  if (flags.innerSteps === undefined) {
    const report = scoreOnce(run, flags);
    const label = `${run.meta.name} (${flags.text ?? flags.split})`;
    if (flags.json) out(JSON.stringify({ split: flags.text ?? flags.split, step: run.step,
      ...report }));
    else out(reportTable([{ label, report }], run.config.data.kind));
    return 0;
  }
  const scaling = [];
  for (const count of steps) {
    const config = resolveConfig(run.config, [`vi.innerSteps=${count}`]);
    run.model.inference = inferenceSettingsOf(config);
    scaling.push({ innerSteps: count, ...scoreOnce({ ...run, config }, flags) });
  }
  const split = flags.text ?? flags.split;
  if (flags.save) {
    writeJson(flags.run, innerStepsScalingFile, {
      split, step: run.step, createdAt: new Date().toISOString(), scaling,
    });
  }
  if (flags.json) out(JSON.stringify({ split, scaling }));
  else {
    out(reportTable(scaling.map((report) => ({ label: `${report.innerSteps} steps`, report })),
      run.config.data.kind));
  }
  return 0;
}
