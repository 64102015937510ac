// `ltm analyze` through the real command line (in this process) on a miniature hierarchy run:
// each analysis prints one JSON object and saves it, the report shows them, --help works,
// and bad input exits 2 with one message naming the flag or file and the fix.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { resolveConfig } from '../../src/config/index.js';
import { loadCorpus } from '../../src/data/index.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ltm-analyze-'));
const run = path.join(scratch, 'run');
const arRun = path.join(scratch, 'ar');
const mini = path.join(scratch, 'mini.json');

const miniConfig = {
  description: 'A miniature hierarchy run for smoke tests.',
  backend: 'wasm',
  data: { kind: 'hierarchy', depth: 2, vocab: 4, rules: 2, branching: 2, heldOutSequences: 32 },
  model: { layers: 2, width: 16, heads: 2, mlpHidden: 16, sequenceLength: 4, window: 2 },
  latents: { perLayer: 2, dim: 4 },
  vi: { innerSteps: 2 },
  train: { steps: 4, batchSize: 4, logEvery: 2, checkpointEvery: 2 },
  eval: { sequences: 16, batchSize: 16 },
};

const json = (stdout: string) => {
  expect(stdout.trim().split('\n')).toHaveLength(1);
  return JSON.parse(stdout);
};

beforeAll(async () => {
  fs.writeFileSync(mini, JSON.stringify(miniConfig));
  for (const [dir, extra] of [[run, []], [arRun, ['--set', 'latents.enabled=false']]] as const) {
    const trained = await runCli(['train', '--config', mini, '--run', dir, ...extra]);
    if (trained.code !== 0) throw new Error(`training the miniature run failed: ${trained.stderr}`);
  }
}, 120_000);

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('ltm analyze on a miniature hierarchy run', () => {
  it('should print and save dependence with latent, token and true-symbol numbers', async () => {
    const result = await runCli(['analyze', 'dependence', '--run', run, '--json', '--save']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = json(result.stdout);
    expect(Number.isFinite(report.latentSameLevel)).toBe(true);
    expect(Number.isFinite(report.tokenDistance1)).toBe(true);
    expect(report.tokens.map((entry: { distance: number }) => entry.distance)).toEqual([1, 2]);
    expect(report.hierarchy.sameLevel).toHaveLength(2);
    expect(report.hierarchy.latentsVersusLevel.map((e: { level: number }) => e.level))
      .toEqual([1, 2]);
    expect(report.sequences).toBe(32);
    expect(fs.existsSync(path.join(run, 'dependence.json'))).toBe(true);
  });

  it('should analyse a text file\'s windows, without true symbols, when --text is given',
    async () => {
      const config = resolveConfig(miniConfig);
      const corpus = loadCorpus(config.data, 4);
      const set = corpus.heldOut('test', 12, 5);
      const file = path.join(scratch, 'symbols.txt');
      fs.writeFileSync(file, corpus.tokenizer.decode(Array.from(set.tokens)));
      const result = await runCli(['analyze', 'dependence', '--run', run, '--text', file,
        '--json']);
      expect(result.code).toBe(0);
      const report = json(result.stdout);
      expect(report.sequences).toBe(12);
      expect(report.source).toBe(file);
      expect(report.hierarchy).toBeUndefined();
    });

  it('should print and save the spectrum with its agreement per level', async () => {
    const result = await runCli(['analyze', 'spectrum', '--config', mini, '--json',
      '--save', run, '--min-count', '1']);
    expect(result.code).toBe(0);
    const report = json(result.stdout);
    expect(report.adjustedRandByLevel.map((level: { level: number }) => level.level))
      .toEqual([2, 1]);
    expect(report.vocabularyKept).toBeLessThanOrEqual(4);
    expect(typeof report.coarseToFine).toBe('boolean');
    for (const level of report.adjustedRandByLevel) {
      expect(level.chance95).toBeGreaterThanOrEqual(-1);
      expect(level.chance95).toBeLessThanOrEqual(1);
    }
    expect(fs.existsSync(path.join(run, 'spectrum.json'))).toBe(true);
  });

  it('should print and save the entropy report with the top fifth\'s share of the loss',
    async () => {
      const result = await runCli(['analyze', 'entropy', '--run', run, '--json', '--save']);
      expect(result.code).toBe(0);
      const report = json(result.stdout);
      expect(report.topQuintileLossShare).toBeGreaterThan(0);
      expect(report.topQuintileLossShare).toBeLessThanOrEqual(1);
      expect(report.byPosition).toHaveLength(4);
      expect(report.tokens).toBe(16 * 4);
      expect(fs.existsSync(path.join(run, 'entropy.json'))).toBe(true);
    });

  it('should train LTM and AR at each depth and size for sample-efficiency', async () => {
    const result = await runCli(['analyze', 'sample-efficiency', '--config', mini,
      '--sizes', '4,8', '--depths', '1,2', '--set', 'train.steps=2', '--json', '--save', run]);
    expect(result.code).toBe(0);
    const report = json(result.stdout);
    expect(report.rows).toHaveLength(8);
    // depth 1: (log2 4 + 1 rule bit) / 2 tokens; depth 2: (2 + 3) / 4.
    expect(report.sourceEntropy).toEqual([{ depth: 1, bits: 1.5 }, { depth: 2, bits: 1.25 }]);
    expect(fs.existsSync(path.join(run, 'sample-efficiency.json'))).toBe(true);
  }, 120_000);

  it('should draw every saved analysis in the report', async () => {
    const result = await runCli(['report', run]);
    expect(result.code).toBe(0);
    const html = fs.readFileSync(path.join(run, 'report.html'), 'utf8');
    expect(html).toContain('Why latents help');
    for (const chart of ['dependence', 'spectrum', 'entropy-histogram', 'sample-efficiency']) {
      expect(fs.existsSync(path.join(run, `${chart}.svg`)), chart).toBe(true);
      expect(html).toContain(`data-plot="${chart}"`);
    }
  }, 60_000);
});

describe('ltm params on a hierarchy config', () => {
  it('should count the separator in the vocabulary when data.kind is hierarchy', async () => {
    const result = await runCli(['params', '--config', mini, '--json']);
    expect(result.code).toBe(0);
    expect(json(result.stdout).vocabSize).toBe(5);
  });
});

describe('ltm analyze --help', () => {
  it.each(['dependence', 'sample-efficiency', 'spectrum', 'entropy'])(
    'should exit 0 and print usage when analyze %s --help is given', async (command) => {
      const result = await runCli(['analyze', command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: ltm analyze ${command} [options]`);
    });
});

describe('ltm analyze with bad input', () => {
  const cases: { when: string; args: () => string[]; says: string[] }[] = [
    { when: '--sequences is not a number', says: ['--sequences abc', 'whole number'],
      args: () => ['analyze', 'dependence', '--run', run, '--sequences', 'abc'] },
    { when: '--distances holds a 0', says: ['--distances 1,0', 'such as 1,2,4,8'],
      args: () => ['analyze', 'dependence', '--run', run, '--distances', '1,0'] },
    { when: '--split is not a held-out split', says: ['--split train', 'use valid or test'],
      args: () => ['analyze', 'entropy', '--run', run, '--split', 'train'] },
    { when: '--latents is unknown', says: ['--latents mean', 'posterior'],
      args: () => ['analyze', 'entropy', '--run', run, '--latents', 'mean'] },
    { when: 'the run is an AR baseline', says: ['AR baseline', 'run trained with latents'],
      args: () => ['analyze', 'dependence', '--run', arRun] },
    { when: 'the run folder does not exist', says: [path.join(scratch, 'absent')],
      args: () => ['analyze', 'entropy', '--run', path.join(scratch, 'absent')] },
    { when: '--save names a folder that is not a run', says: ['not a run folder', scratch],
      args: () => ['analyze', 'spectrum', '--config', mini, '--save', scratch] },
    { when: 'sample-efficiency gets a config of another corpus',
      says: ['data.kind is "sotu"', 'configs/hierarchy.json'],
      args: () => ['analyze', 'sample-efficiency', '--config', 'configs/tiny.json',
        '--sizes', '10'] },
    { when: '--sizes is not a list of numbers', says: ['--sizes 10,x', '1000,3000,10000'],
      args: () => ['analyze', 'sample-efficiency', '--config', mini, '--sizes', '10,x'] },
    { when: '--text is not a file', says: [path.join(scratch, 'none.txt'), 'cannot be read'],
      args: () => ['analyze', 'dependence', '--run', run, '--text',
        path.join(scratch, 'none.txt')] },
  ];

  it.each(cases)('should exit 2 with one message when $when', async ({ args, says }) => {
    const result = await runCli(args());
    expect(result.code).toBe(2);
    for (const fragment of says) expect(result.stderr).toContain(fragment);
    expect(result.stderr).not.toContain('    at ');
    expect(result.stdout).toBe('');
  });

  it('should exit 2 naming the missing flag when --run is left out', async () => {
    const result = await runCli(['analyze', 'dependence']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--run <dir>');
  });
});
