// `ltm analyze ...`: why latents help, measured. Each command checks its flags, runs one
// analysis of src/analyze, prints a table or one JSON object, and with --save writes the
// JSON into a run folder, where `ltm report` shows it.
import { analyzeDependence, doublingDistances } from '../analyze/run-dependence.js';
import { entropyReport, scoreTokens } from '../analyze/entropy.js';
import { sampleEfficiency } from '../analyze/sample-efficiency.js';
import { analyzeSpectrum } from '../analyze/run-spectrum.js';
import { loadConfig } from '../config/index.js';
import { loadCorpus, type HeldOutSet } from '../data/index.js';
import { DataError, UsageError } from '../errors.js';
import { analysisFiles } from '../report/folder.js';
import { prepareBackend } from '../train/trainer.js';
import { loadRun, type LoadedRun } from '../train/load-run.js';
import { writeJson } from '../train/run-folder.js';
import {
  dependenceText, efficiencyLine, efficiencyText, entropyText, spectrumText,
} from './analyze-text.js';
import { heldOutSplit, numberList, saveFolder, wholeNumber } from './analyze-flags.js';
import { requireLtmConfig } from './config-kind.js';
import { textWindows } from './eval-command.js';
import { lineWriter, terminalOutput, type CliOutput } from './output.js';

interface RunFlags {
  run: string;
  text?: string;
  split?: string;
  sequences?: string;
  json?: boolean;
  save?: boolean;
}

/** Held-out windows of a run: a text file's, or up to `count` of a split's. */
function windowsOf(run: LoadedRun, flags: RunFlags, count: number): HeldOutSet {
  if (flags.text !== undefined) return textWindows(run, flags.text);
  const split = heldOutSplit(flags.split);
  return run.corpus.heldOut(split, count, run.config.model.sequenceLength + 1);
}

function finish(output: CliOutput, json: boolean | undefined, report: object, text: string) {
  lineWriter(output)(json ? JSON.stringify(report) : text);
  return 0;
}

export interface DependenceFlags extends RunFlags {
  distances?: string;
  shuffles?: string;
}

export async function dependenceCommand(flags: DependenceFlags,
  output: CliOutput = terminalOutput): Promise<number> {
  heldOutSplit(flags.split);
  const count = wholeNumber('--sequences', flags.sequences, 1024, 3);
  const shuffles = wholeNumber('--shuffles', flags.shuffles, 4);
  const listed = flags.distances === undefined ? null
    : numberList('--distances', flags.distances, 1, '1,2,4,8');
  const run = await loadRun(flags.run);
  const set = windowsOf(run, flags, count);
  if (set.count < 3) {
    throw new DataError(`${flags.text ?? flags.run}: ${set.count} window(s) of `
      + `${set.length} tokens; dependence needs at least 3, so pass more text`);
  }
  const distances = listed ?? doublingDistances(set.length - 1);
  const report = { source: flags.text ?? heldOutSplit(flags.split), step: run.step,
    ...analyzeDependence(run, set, { distances, shuffles }) };
  if (flags.save) writeJson(flags.run, analysisFiles.dependence, report);
  return finish(output, flags.json, report, dependenceText(report));
}

export interface EntropyFlags extends RunFlags {
  latents?: string;
}

export async function entropyCommand(flags: EntropyFlags,
  output: CliOutput = terminalOutput): Promise<number> {
  heldOutSplit(flags.split);
  const latents = flags.latents ?? 'posterior';
  if (latents !== 'posterior' && latents !== 'prior') {
    throw new UsageError(`--latents ${latents}: use posterior (fitted to each window) or prior`);
  }
  const requested = flags.sequences;
  const run = await loadRun(flags.run);
  const set = windowsOf(run, flags, wholeNumber('--sequences', requested,
    run.config.eval.sequences));
  const scores = scoreTokens(run.model, set, run.config, latents);
  const used = run.model.inference === null ? 'none' : latents;
  const report = { source: flags.text ?? heldOutSplit(flags.split), step: run.step,
    ...entropyReport(scores, set, run.corpus.tokenizer, used) };
  if (flags.save) writeJson(flags.run, analysisFiles.entropy, report);
  return finish(output, flags.json, report, entropyText(report));
}

export interface SpectrumFlags {
  config: string;
  set: string[];
  split?: string;
  sequences?: string;
  window?: string;
  eigenvectors?: string;
  minCount?: string;
  json?: boolean;
  save?: string;
}

export async function spectrumCommand(flags: SpectrumFlags,
  output: CliOutput = terminalOutput): Promise<number> {
  const options = {
    split: heldOutSplit(flags.split),
    sequences: wholeNumber('--sequences', flags.sequences, 2048),
    window: wholeNumber('--window', flags.window, 2),
    eigenvectors: wholeNumber('--eigenvectors', flags.eigenvectors, 8),
    minCount: wholeNumber('--min-count', flags.minCount, 5),
  };
  const save = flags.save === undefined ? null : saveFolder(flags.save);
  const { config } = loadConfig(flags.config, flags.set);
  requireLtmConfig('analyze spectrum', flags.config, config);
  const corpus = loadCorpus(config.data, config.model.sequenceLength);
  const report = { config: flags.config, ...analyzeSpectrum(corpus, config, options) };
  if (save !== null) writeJson(save, analysisFiles.spectrum, report);
  return finish(output, flags.json, report, spectrumText(report));
}

export interface EfficiencyFlags {
  config: string;
  set: string[];
  sizes: string;
  depths?: string;
  json?: boolean;
  save?: string;
}

export async function sampleEfficiencyCommand(flags: EfficiencyFlags,
  output: CliOutput = terminalOutput): Promise<number> {
  const sizes = numberList('--sizes', flags.sizes, 1, '1000,3000,10000');
  const save = flags.save === undefined ? null : saveFolder(flags.save);
  const { config } = loadConfig(flags.config, flags.set);
  requireLtmConfig('analyze sample-efficiency', flags.config, config);
  const depths = flags.depths === undefined ? [config.data.depth]
    : numberList('--depths', flags.depths, 1, '3,4');
  await prepareBackend(config);
  // Progress goes to stderr, so stdout stays one JSON object with --json.
  const report = { config: flags.config, ...await sampleEfficiency(config, sizes, depths,
    (event) => output.stderr(efficiencyLine(event) + '\n')) };
  if (save !== null) writeJson(save, analysisFiles.sampleEfficiency, report);
  return finish(output, flags.json, report, efficiencyText(report));
}
