// The `ltm analyze` command group: dependence, sample-efficiency, spectrum and entropy.
import type { Command } from 'commander';
import type { CommandRunner } from './program.js';

type Run = (load: () => Promise<CommandRunner>) => (flags: unknown) => Promise<void>;

const collect = (value: string, previous: string[]) => [...previous, value];
const commands = () => import('./analyze-command.js');

export function registerAnalyzeCommands(program: Command, run: Run): void {
  const analyze = program.command('analyze')
    .description('measure why latents help: dependence, sample efficiency, spectrum, entropy');

  analyze.command('dependence')
    .description('dependence of sibling latents, latents of different layers, and tokens at '
      + 'distance 1, 2, 4, ... (one estimator for all)')
    .requiredOption('--run <dir>', 'run folder of a latent thought model')
    .option('--text <file>', 'analyse this plain-text file instead of a held-out split')
    .option('--split <split>', 'held-out split: valid or test', 'valid')
    .option('--sequences <N>', 'held-out windows to infer latents for (default 1024)')
    .option('--distances <list>', 'token distances (default 1,2,4,... below the window)')
    .option('--shuffles <N>', 'shuffled re-pairings in each baseline (default 4)')
    .option('--json', 'print one JSON object')
    .option('--save', 'also write dependence.json into the run folder')
    .action(run(async () => (await commands()).dependenceCommand));

  analyze.command('sample-efficiency')
    .description('held-out NLL of the LTM and its AR baseline against training-set size on '
      + 'the hierarchy corpus')
    .requiredOption('--config <file>', 'a config with data.kind "hierarchy"')
    .option('--set <path=value>', 'override one config field', collect, [])
    .requiredOption('--sizes <list>', 'training-set sizes in sequences, e.g. 1000,3000,10000')
    .option('--depths <list>', 'hierarchy depths (default data.depth), e.g. 3,4')
    .option('--json', 'print one JSON object')
    .option('--save <dir>', 'also write sample-efficiency.json into this run folder')
    .action(run(async () => (await commands()).sampleEfficiencyCommand));

  analyze.command('spectrum')
    .description('leading eigenvectors of the token co-occurrence (positive PMI) and the '
      + 'vocabulary splits they make')
    .requiredOption('--config <file>', 'JSON config naming the corpus')
    .option('--set <path=value>', 'override one config field', collect, [])
    .option('--split <split>', 'held-out split: valid or test', 'valid')
    .option('--sequences <N>', 'windows of the split to count (default 2048)')
    .option('--window <N>', 'largest distance of a co-occurring pair (default 2)')
    .option('--eigenvectors <N>', 'leading eigenvectors to report (default 8)')
    .option('--min-count <N>', 'leave out tokens seen fewer times (default 5)')
    .option('--json', 'print one JSON object')
    .option('--save <dir>', 'also write spectrum.json into this run folder')
    .action(run(async () => (await commands()).spectrumCommand));

  analyze.command('entropy')
    .description('the decoder\'s predictive entropy per token: its distribution, the share of '
      + 'the loss the top fifth carries, examples in context')
    .requiredOption('--run <dir>', 'run folder written by ltm train')
    .option('--text <file>', 'analyse this plain-text file instead of a held-out split')
    .option('--split <split>', 'held-out split: valid or test', 'valid')
    .option('--sequences <N>', 'held-out windows (default eval.sequences)')
    .option('--latents <which>', 'posterior (fitted to each window) or prior', 'posterior')
    .option('--json', 'print one JSON object')
    .option('--save', 'also write entropy.json into the run folder')
    .action(run(async () => (await commands()).entropyCommand));
}
