// The `ltm` command line: flags become calls of the library; the only code that prints.
// Exit codes: 0 success, 2 bad input or usage, 1 a failure during a run, 130 after Ctrl-C.
import { Command, CommanderError, Option } from 'commander';
import { isInputError, LatentThoughtError } from '../errors.js';
import { terminalOutput, type CliOutput } from './output.js';
import { registerAnalyzeCommands } from './analyze.js';
import { registerReasonCommands } from './reason.js';

export type { CliOutput } from './output.js';

const collect = (value: string, previous: string[]) => [...previous, value];

export type CommandRunner = (flags: never, output: CliOutput) => Promise<number>;

/** What one parse of the command line ended with; `code` is set by the command that ran. */
export interface Invocation {
  output: CliOutput;
  code?: number;
}

/**
 * Wraps a command. Commands are imported when run, so `--help` and usage errors do not pay
 * for loading TensorFlow.js.
 */
function lazy(invocation: Invocation, load: () => Promise<CommandRunner>) {
  return async (flags: unknown) => {
    const command = await load();
    invocation.code = await command(flags as never, invocation.output);
  };
}

export function buildProgram(invocation: Invocation = { output: terminalOutput }): Command {
  const { output } = invocation;
  const run = (load: () => Promise<CommandRunner>) => lazy(invocation, load);
  const program = new Command('ltm')
    .description('Latent thought models and stochastic recursive reasoning on TensorFlow.js')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: output.stdout, writeErr: output.stderr })
    .exitOverride();

  program.command('train')
    .description('train the model a config describes into a run folder')
    .option('--config <file>', 'JSON config (fields override the schema defaults)')
    .option('--set <path=value>', 'override one config field, e.g. train.steps=100', collect, [])
    .option('--run <dir>', 'run folder (default runs/<config name>-<time>)')
    .option('--resume', 'continue the run in --run from its latest checkpoint')
    .action(run(async () => (await import('./train-command.js')).trainCommand));

  program.command('eval')
    .description('score a trained run on a held-out split or a text file')
    .requiredOption('--run <dir>', 'run folder written by ltm train')
    .addOption(new Option('--split <split>', 'held-out split').choices(['valid', 'test'])
      .default('valid'))
    .option('--text <file>', 'score this plain-text file instead of a split')
    .option('--inner-steps <list>', 'inference-time scaling: evaluate at each inner-step count')
    .option('--json', 'print one JSON object')
    .option('--save', 'with --inner-steps: also write inner-steps-scaling.json into the run')
    .action(run(async () => (await import('./eval-command.js')).evalCommand));

  program.command('generate')
    .description('sample text: latents from the prior, or inferred from --prompt')
    .requiredOption('--run <dir>', 'run folder written by ltm train')
    .option('--prompt <text>', 'text to continue; its latents are inferred first')
    .option('--samples <n>', 'number of samples', '1')
    .option('--max-tokens <n>', 'tokens to generate per sample', '200')
    .option('--temperature <t>', 'sampling temperature (0: greedy)', '0.8')
    .option('--top-k <k>', 'keep only the k most likely tokens (0: all)', '0')
    .option('--seed <n>', 'random seed', '1')
    .option('--json', 'print one JSON object')
    .action(run(async () => (await import('./generate-command.js')).generateCommand));

  program.command('infer')
    .description('write the posterior means and variances of a text file as JSON')
    .requiredOption('--run <dir>', 'run folder written by ltm train')
    .requiredOption('--text <file>', 'plain-text file')
    .option('--out <file>', 'write the JSON here instead of stdout')
    .action(run(async () => (await import('./infer-command.js')).inferCommand));

  program.command('params')
    .description('decoder parameters and latent floats per sequence of a config')
    .requiredOption('--config <file>', 'JSON config')
    .option('--set <path=value>', 'override one config field', collect, [])
    .option('--json', 'print one JSON object')
    .action(run(async () => (await import('./params-command.js')).paramsCommand));

  program.command('main')
    .description('the main job: train the default LTM and its AR baseline, compare them')
    .option('--config <file>', 'config to use instead of configs/default.json')
    .option('--set <path=value>', 'override one config field (both models)', collect, [])
    .option('--run <dir>', 'folder for both runs (default runs/main-<config>-<time>)')
    .option('--resume', 'continue the job in --run where it stopped')
    .action(run(async () => (await import('./main-job.js')).mainJob));

  program.command('sweep')
    .description('train every cell of a grid of config values into one sweep folder')
    .option('--config <file>', 'base config of every cell')
    .option('--grid <path=v1,v2>', 'a field and its values; repeat for more axes', collect, [])
    .option('--set <path=value>', 'override one field of the base config', collect, [])
    .requiredOption('--out <dir>', 'sweep folder; run again (or with only --out) to resume')
    .option('--dry-run', 'list the cells and how each would start; train nothing')
    .action(run(async () => (await import('./sweep-command.js')).sweepCommand));

  program.command('report')
    .description('write report.html and SVG charts for a run, main-job or sweep folder')
    .argument('<dir>', 'folder written by ltm train, ltm main or ltm sweep')
    .action(run(async () => (await import('./report-command.js')).reportCommand));
  registerReasonCommands(program, output);
  registerAnalyzeCommands(program, run);
  return program;
}

function report(error: unknown, output: CliOutput): number {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof LatentThoughtError) {
    output.stderr(`ltm: ${error.message}\n`);
    return isInputError(error) ? 2 : 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  output.stderr(`ltm: the run failed: ${message}\n`);
  if (process.env.LTM_DEBUG) output.stderr(`${(error as Error).stack}\n`);
  return 1;
}

/**
 * Runs the command line on `args` (without the node and script names) and returns the exit
 * code; never exits the process. Every message goes to `output`.
 */
export async function execute(args: readonly string[], output: CliOutput): Promise<number> {
  const invocation: Invocation = { output };
  // NOTE: a command registered without `lazy` may still report through process.exitCode.
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await buildProgram(invocation).parseAsync([...args], { from: 'user' });
    return invocation.code ?? Number(process.exitCode ?? 0);
  } catch (error) {
    return report(error, output);
  } finally {
    process.exitCode = before;
  }
}

/** What an in-process run of the command line printed and the code it would exit with. */
export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `ltm <args>` in this process and captures its output, e.g. runCli(['eval', ...]). */
export async function runCli(args: readonly string[]): Promise<CliOutcome> {
  let stdout = '';
  let stderr = '';
  const code = await execute(args, {
    stdout: (text) => { stdout += text; },
    stderr: (text) => { stderr += text; },
  });
  return { code, stdout, stderr };
}

/** The `ltm` executable: `argv` is process.argv. */
export async function main(argv: string[]): Promise<void> {
  process.exitCode = await execute(argv.slice(2), terminalOutput);
}
