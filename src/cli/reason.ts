// `ltm reason` and `ltm puzzles count`: flags to reasoner calls, and the lines they print.
// Also the progress lines of reasoner training, for the train command to print.
import fs from 'node:fs';
import type { Command } from 'commander';
import { DataError, UsageError } from '../errors.js';
import {
  countPuzzleSolutions, generateUnconditional, reasonOnPuzzles, reasonOverSplit,
  type PuzzleAnswers, type ReasonerRun, type ReasoningOptions,
} from '../sampling/index.js';
import { familyNames } from '../tasks/index.js';
import {
  loadReasonerRun, summarise, type ReasonerTrainEvent, type SplitSummary,
} from '../train/reasoner/index.js';
import { counted } from './format.js';
import { lineWriter, terminalOutput, type CliOutput } from './output.js';
import { resumeLines } from './progress.js';
import { reasonScalingCommand } from './reason-scaling.js';

export interface ReasonFlags {
  run: string;
  samples?: string;
  depth?: string;
  split: 'test' | 'valid';
  inputs?: string;
  seed?: string;
  json?: boolean;
  puzzle: string[];
  puzzles?: string;
  unconditional?: boolean;
  scaling?: boolean;
  widths?: string;
  depths?: string;
  baseline?: string;
  save?: boolean;
}

export interface CountFlags {
  task: string;
  puzzle: string;
  max?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** A whole number of at least `min` from a flag, or undefined when the flag is absent. */
function wholeNumber(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min) {
    throw new UsageError(`${flag} ${value}: expected a whole number of at least ${min}`);
  }
  return parsed;
}

/** Comma-separated whole numbers of at least 1, or `fallback` when the flag is absent. */
function wholeList(flag: string, value: string | undefined, fallback: number[]): number[] {
  if (value === undefined) return fallback;
  const parts = value.split(',').map((part) => part.trim());
  if (parts.some((part) => !/^[0-9]+$/.test(part) || Number(part) < 1)) {
    throw new UsageError(`${flag} ${value}: expected whole numbers of at least 1 separated `
      + `by commas, e.g. ${flag} ${fallback.join(',')}`);
  }
  return parts.map(Number);
}

function fixed(value: number | null, digits = 3): string {
  return value === null ? '-' : value.toFixed(digits);
}

/** Puzzle strings from a file, one a line; blank lines and '#' comments skipped. */
function readPuzzleLines(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new DataError(`puzzle file ${file} cannot be read; check the path`);
  }
  const lines = text.split(/\r?\n/).map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (lines.length === 0) throw new DataError(`${file}: no puzzles found; put one per line`);
  return lines;
}

/** The score lines of a split: coverage at each S, validity, accuracy, selection. */
export function splitSummaryLines(label: string, summary: SplitSummary): string[] {
  const { means, coverageAt, selection } = summary;
  const coverage = Object.entries(coverageAt)
    .map(([s, value]) => `@${s} ${value.toFixed(3)}`).join('  ');
  return [
    `${label}: ${means.inputs} inputs, S=${summary.samples}, depth ${summary.rounds} rounds, `
      + `mean |Sol| ${means.solutionCount.toFixed(2)} (${summary.seconds.toFixed(1)}s)`,
    `  coverage        ${coverage}`,
    `  valid rate      ${fixed(means.validRate)}   any valid ${fixed(means.anyValid)}   `
      + `distinct valid ${fixed(means.distinctValid, 2)}`,
    `  cell accuracy   ${fixed(means.bestCellAccuracy)} (per cell, closest answer)   `
      + `exact accuracy ${fixed(means.exactAccuracy)} (whole answer)`,
    `  selected valid  first-valid ${fixed(selection.firstValid)}   vote ${fixed(selection.vote)}`,
    `  diversity       pairwise Hamming ${fixed(means.meanPairwiseHamming, 2)}   entropy `
      + `${fixed(means.entropyBits, 2)} bits`,
  ];
}

function answerLines(result: PuzzleAnswers, limit: number): string[] {
  const solutions = counted(result.solutionCount, 'solution');
  const count = result.complete ? solutions : `at least ${solutions}`;
  const lines = [`${result.puzzle}: ${count}; ${counted(result.samples, 'sample')}, valid rate `
    + `${fixed(result.validRate)}, ${result.distinctValid} distinct valid, coverage `
    + `${fixed(result.coverage)}`];
  for (const answer of result.answers.slice(0, limit)) {
    lines.push(`  ${answer.valid ? 'valid  ' : 'invalid'}  ${String(answer.count).padStart(4)}x`
      + `  ${answer.answer}`);
  }
  if (result.answers.length > limit) {
    lines.push(`  ... ${result.answers.length - limit} more distinct answers`);
  }
  return lines;
}

function modeOf(flags: ReasonFlags): 'split' | 'puzzles' | 'unconditional' {
  const chosen = [flags.puzzle.length > 0 || flags.puzzles !== undefined,
    flags.unconditional === true].filter(Boolean).length;
  if (chosen > 1 || (flags.puzzle.length > 0 && flags.puzzles !== undefined)) {
    throw new UsageError('reason: choose one of --puzzle, --puzzles FILE and --unconditional');
  }
  if (flags.unconditional) return 'unconditional';
  return flags.puzzle.length > 0 || flags.puzzles !== undefined ? 'puzzles' : 'split';
}

function optionsOf(flags: ReasonFlags): ReasoningOptions {
  return {
    samples: wholeNumber('--samples', flags.samples, 1),
    depth: wholeNumber('--depth', flags.depth, 1),
    seed: wholeNumber('--seed', flags.seed, 0),
  };
}

function reasonOverPuzzles(run: ReasonerRun, flags: ReasonFlags, options: ReasoningOptions,
  out: (line: string) => void) {
  const puzzles = flags.puzzles !== undefined ? readPuzzleLines(flags.puzzles) : flags.puzzle;
  const results = reasonOnPuzzles(run, puzzles, options);
  if (flags.json) out(JSON.stringify({ step: run.step, results }));
  else for (const result of results) answerLines(result, 20).forEach((line) => out(line));
}

/** Refuses the scaling flags without --scaling, and --scaling with anything but a split. */
function checkScalingFlags(flags: ReasonFlags, mode: ReturnType<typeof modeOf>): void {
  if (flags.scaling) {
    if (mode !== 'split') {
      throw new UsageError('--scaling scores a split; drop --puzzle, --puzzles and '
        + '--unconditional');
    }
    return;
  }
  const stray = (['widths', 'depths', 'baseline', 'save'] as const)
    .find((name) => flags[name] !== undefined);
  if (stray !== undefined) {
    throw new UsageError(`--${stray} works only with --scaling; add --scaling or drop `
      + `--${stray}`);
  }
}

/** The width and depth lists of --scaling, read before any model loads. */
function scalingAxes(flags: ReasonFlags) {
  return {
    widths: wholeList('--widths', flags.widths, [1, 2, 5, 10, 20]),
    depths: wholeList('--depths', flags.depths, [1, 2, 3, 4, 6]),
  };
}

/** `ltm reason`: scores a split, answers given puzzles, or generates from a blank input. */
export async function reasonCommand(flags: ReasonFlags,
  output: CliOutput = terminalOutput): Promise<number> {
  const mode = modeOf(flags);
  checkScalingFlags(flags, mode);
  const options = optionsOf(flags);
  const inputs = wholeNumber('--inputs', flags.inputs, 0);
  const out = lineWriter(output);
  if (flags.scaling) {
    return reasonScalingCommand({ ...options, ...scalingAxes(flags), inputs, split: flags.split,
      run: flags.run, baseline: flags.baseline, save: flags.save === true,
      json: flags.json === true }, out);
  }
  const run = await loadReasonerRun(flags.run);
  if (mode === 'puzzles') {
    reasonOverPuzzles(run, flags, options, out);
  } else if (mode === 'unconditional') {
    const result = generateUnconditional(run, options);
    if (flags.json) out(JSON.stringify({ step: run.step, ...result }));
    else answerLines(result, 20).forEach((line) => out(line));
  } else {
    const summary = summarise(reasonOverSplit(run, { ...options, split: flags.split, inputs }));
    if (flags.json) out(JSON.stringify({ step: run.step, ...summary }));
    else splitSummaryLines(`${flags.run} (${flags.split}, step ${run.step})`, summary)
      .forEach((line) => out(line));
  }
  return 0;
}

/** `ltm puzzles count`: the number of answers of one puzzle, up to a cap. */
export async function countCommand(flags: CountFlags,
  output: CliOutput = terminalOutput): Promise<number> {
  if (!(familyNames as readonly string[]).includes(flags.task)) {
    throw new UsageError(`--task ${flags.task}: use one of ${familyNames.join(', ')}`);
  }
  const max = wholeNumber('--max', flags.max, 1);
  const { solutions, complete } = countPuzzleSolutions(flags.task, flags.puzzle, max);
  const out = lineWriter(output);
  if (flags.json) out(JSON.stringify({ solutions, complete }));
  else out((complete ? '' : 'at least ') + counted(solutions, 'solution'));
  return 0;
}

function action<T>(run: (flags: T, output: CliOutput) => Promise<number>, output: CliOutput) {
  return async (flags: T) => {
    process.exitCode = await run(flags, output);
  };
}

async function checkedReason(flags: ReasonFlags, output: CliOutput): Promise<number> {
  if (flags.split !== 'test' && flags.split !== 'valid') {
    throw new UsageError(`--split ${flags.split}: use test or valid`);
  }
  return reasonCommand(flags, output);
}

/** Adds `reason` and `puzzles count` to a program; they print to `output`. */
export function registerReasonCommands(program: Command,
  output: CliOutput = terminalOutput): void {
  program.command('reason')
    .description('sample S reasoning trajectories per puzzle from a trained reasoner run')
    .requiredOption('--run <dir>', 'run folder written by ltm train with a reasoner config')
    .option('--samples <S>', 'trajectories per input (default reasoner.evalSamples)')
    .option('--depth <R>', 'rounds of transitions (default: the depth it trained at)')
    .option('--split <split>', 'split to score: test or valid', 'test')
    .option('--inputs <N>', 'score only the first N inputs of the split (0: all)')
    .option('--seed <n>', 'seed of the trajectory noise (default train.seed)')
    .option('--puzzle <text>', 'answer this puzzle (repeatable)', collect, [])
    .option('--puzzles <file>', 'answer the puzzles of a file, one per line')
    .option('--unconditional', 'generate answers from a blank input')
    .option('--scaling', 'score the split against width S (at --depth) and depth R (at '
      + '--samples)')
    .option('--widths <list>', 'with --scaling: trajectory counts (default 1,2,5,10,20)')
    .option('--depths <list>', 'with --scaling: round counts (default 1,2,3,4,6)')
    .option('--baseline <dir>', 'with --scaling: a run trained with reasoner.stochastic false, '
      + 'scored once for comparison')
    .option('--save', 'with --scaling: write reason-scaling.json into the run for ltm report')
    .option('--json', 'print one JSON object')
    .action(action(checkedReason, output));

  const puzzles = program.command('puzzles').description('puzzle tools');
  puzzles.command('count')
    .description('count the answers of a puzzle exactly (colourings up to renaming)')
    .requiredOption('--task <family>', `one of ${familyNames.join(', ')}`)
    .requiredOption('--puzzle <text>', 'the puzzle in the family\'s string form')
    .option('--max <N>', 'stop counting after N answers')
    .option('--json', 'print {"solutions": N, "complete": bool}')
    .action(action(countCommand, output));
}

/**
 * The line to print for a reasoner training event, or null for events that print nothing
 * (every step; the metric lines come every train.logEvery steps).
 */
export function reasonerProgressLine(label: string, event: ReasonerTrainEvent): string | null {
  switch (event.type) {
    case 'start':
      return `${label}: reasoner on ${event.family}, ${event.parameters} parameters, `
        + `${event.trainInputs}/${event.validInputs}/${event.testInputs} train/valid/test `
        + `inputs, step ${event.step} of ${event.steps} (${event.updatesPerStep} updates each), `
        + `backend ${event.backend}`;
    case 'log': {
      const r = event.record;
      return `${label}: step ${r.step}  ce ${r.crossEntropy.toFixed(3)}  kl per round `
        + `${r.meanKl.toFixed(3)}  train cell acc ${r.trainCellAccuracy.toFixed(3)}  `
        + `grad ${r.gradNorm.toFixed(2)}  lr ${r.lr.toExponential(2)}  `
        + `${r.elapsedSeconds.toFixed(0)}s`;
    }
    case 'eval':
      return splitSummaryLines(`${label}: prior rollouts on ${event.split} at step ${event.step}`,
        event.summary).join('\n');
    case 'checkpoint':
      return `${label}: checkpoint at step ${event.step}: ${event.path}`;
    case 'skip':
      return `${label}: step ${event.step} skipped: ${event.reason}`;
    case 'resume': {
      const lines = resumeLines(label, event);
      return lines.length === 0 ? null : lines.join('\n');
    }
    case 'step':
      return null;
  }
}
