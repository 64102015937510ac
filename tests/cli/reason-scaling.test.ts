// `ltm reason --scaling` on a tiny trained reasoner and its deterministic twin: the tables it
// prints, the file it saves for the report, the flags it refuses, and one run of the real
// executable.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { runCli } from '../../src/cli/program.js';
import { loadConfig } from '../../src/config/index.js';
import { readReasonScaling } from '../../src/report/index.js';
import { trainReasoner } from '../../src/train/reasoner/index.js';
import { startLtm } from './ltm-process.js';

const shrink = ['puzzles.count=60', 'reasoner.width=16', 'reasoner.headHidden=16',
  'reasoner.initSigma=1', 'reasoner.evalInputs=4', 'train.steps=2', 'train.batchSize=8',
  'train.evalEvery=0'];

let root = '';
let gram = '';
let deterministic = '';

async function trainInto(dir: string, extra: string[]): Promise<void> {
  const { config } = loadConfig('configs/sudoku4-gram.json', [...shrink, ...extra]);
  await trainReasoner(config, { runDir: dir, finalEval: false });
}

beforeAll(async () => {
  await initBackend('wasm');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'reason-scaling-cli-'));
  gram = path.join(root, 'gram');
  deterministic = path.join(root, 'det');
  await trainInto(gram, []);
  await trainInto(deterministic, ['reasoner.stochastic=false']);
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

const scaling = (...extra: string[]) =>
  ['reason', '--run', gram, '--scaling', '--widths', '4,1,2', '--depths', '1,2', ...extra];

describe('ltm reason --scaling', () => {
  it('should print a width table, a depth table and the baseline when given --baseline',
    async () => {
      const { code, stdout, stderr } = await runCli(scaling('--baseline', deterministic));
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      const lines = stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/: sudoku4, test split, 4 puzzles, step 2, seed 1 \(/);
      expect(lines[1]).toBe('width: S trajectories per puzzle at depth 3 rounds');
      expect(lines[2]).toMatch(/^S {2}coverage {2}valid rate {2}exact acc\. {2}any valid/);
      expect(lines.slice(4, 7).map((line) => line.split(/ +/)[0])).toEqual(['1', '2', '4']);
      expect(lines[7]).toBe('depth: R rounds at S = 20');
      expect(lines.slice(10, 12).map((line) => line.split(/ +/)[0])).toEqual(['1', '2']);
      expect(lines[12]).toBe(`deterministic baseline ${deterministic} (step 2, depth 3 rounds, `
        + 'one answer per puzzle)');
      expect(fs.existsSync(path.join(gram, 'reason-scaling.json'))).toBe(false);
    });

  it('should save a file the report reads when given --save', async () => {
    const { code, stdout } = await runCli(scaling('--samples', '3', '--save', '--baseline',
      deterministic));
    expect(code).toBe(0);
    const file = path.join(gram, 'reason-scaling.json');
    expect(stdout).toContain(`wrote ${file}; draw it with: npx ltm report ${gram}`);
    const saved = readReasonScaling(gram)!;
    expect(saved.width.map((point) => point.samples)).toEqual([1, 2, 4]);
    expect(saved.depth.map((point) => point.rounds)).toEqual([1, 2]);
    expect(saved).toMatchObject({ task: 'sudoku4', split: 'test', puzzles: 4,
      depthSamples: 3, widthRounds: 3 });
    expect(saved.deterministic?.validRate).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).createdAt).toMatch(/^\d{4}-\d\d-/);
    const report = await runCli(['report', gram]);
    expect(report.code).toBe(0);
    for (const chart of ['reasoner-width.svg', 'reasoner-depth.svg']) {
      expect(report.stdout).toContain(path.join(gram, chart));
      expect(fs.readFileSync(path.join(gram, chart), 'utf8')).toMatch(/^<svg/);
    }
  });

  it('should print one JSON object with the same numbers as a second run', async () => {
    const first = await runCli(scaling('--json', '--seed', '5'));
    const second = await runCli(scaling('--json', '--seed', '5'));
    expect(first.stdout.trim().split('\n')).toHaveLength(1);
    const [a, b] = [JSON.parse(first.stdout), JSON.parse(second.stdout)];
    expect(a.seed).toBe(5);
    expect(a.width).toEqual(b.width);
    expect(a.depth).toEqual(b.depth);
  });
});

describe('ltm reason --scaling with bad input', () => {
  const refusals: [string, string[], string][] = [
    ['a width that is not a number', scaling('--widths', '1,x'),
      'ltm: --widths 1,x: expected whole numbers of at least 1 separated by commas, e.g. '
        + '--widths 1,2,5,10,20\n'],
    ['a depth of 0', scaling('--depths', '0,2'),
      'ltm: --depths 0,2: expected whole numbers of at least 1 separated by commas, e.g. '
        + '--depths 1,2,3,4,6\n'],
    ['--save without --scaling', ['reason', '--run', '/nowhere', '--save'],
      'ltm: --save works only with --scaling; add --scaling or drop --save\n'],
    ['--scaling with a puzzle', scaling('--puzzle', '12343412........'),
      'ltm: --scaling scores a split; drop --puzzle, --puzzles and --unconditional\n'],
  ];
  for (const [what, args, message] of refusals) {
    it(`should exit 2 with one message when given ${what}`, async () => {
      expect(await runCli(args)).toEqual({ code: 2, stdout: '', stderr: message });
    });
  }

  it('should exit 2 naming the setting when the baseline has noise', async () => {
    const outcome = await runCli(scaling('--baseline', gram, '--save'));
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toBe(`ltm: baseline ${gram}: reasoner.stochastic is true; name a `
      + 'run trained with reasoner.stochastic false\n');
    expect(outcome.stdout).toBe('');
  });
});

describe('ltm reason --scaling as a process', () => {
  it('should exit 0 and print both tables when run from the shell', async () => {
    const ltm = startLtm(['reason', '--run', gram, '--scaling', '--widths', '1,2',
      '--depths', '2', '--inputs', '2']);
    const { code } = await ltm.ended;
    expect({ code, stderr: ltm.stderr() }).toEqual({ code: 0, stderr: '' });
    expect(ltm.stdout()).toMatch(/^width: S trajectories per puzzle at depth 3 rounds$/m);
    expect(ltm.stdout()).toMatch(/^depth: R rounds at S = 20$/m);
    expect(ltm.stdout()).toMatch(/: sudoku4, test split, 2 puzzles, step 2/);
  }, 60_000);

  it('should exit 2 with one line on stderr when a flag is bad', async () => {
    const ltm = startLtm(['reason', '--run', gram, '--scaling', '--widths', '']);
    const { code } = await ltm.ended;
    expect(code).toBe(2);
    expect(ltm.stderr()).toBe('ltm: --widths : expected whole numbers of at least 1 separated '
      + 'by commas, e.g. --widths 1,2,5,10,20\n');
  }, 60_000);
});
