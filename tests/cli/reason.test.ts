// The reason and puzzles count commands on a tiny trained run: what they print, in text and
// JSON, and the usage errors they refuse with.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { runCli } from '../../src/cli/program.js';
import { reasonerProgressLine } from '../../src/cli/reason.js';
import { resolveConfig } from '../../src/config/index.js';
import { trainReasoner, type ReasonerTrainEvent } from '../../src/train/reasoner/index.js';

let runDir = '';
const events: ReasonerTrainEvent[] = [];

beforeAll(async () => {
  await initBackend('wasm');
  runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reason-cli-'));
  const config = resolveConfig({
    kind: 'reasoner', backend: 'wasm',
    puzzles: { family: 'sudoku4', count: 40 },
    reasoner: { width: 16, headHidden: 16, evalSamples: 3, evalInputs: 2 },
    train: { steps: 2, batchSize: 8, logEvery: 1 },
  });
  await trainReasoner(config, { runDir, onEvent: (event) => events.push(event) });
});

afterAll(() => {
  fs.rmSync(runDir, { recursive: true, force: true });
});

/** Runs the command line in-process; returns what it printed, or fails with its message. */
async function run(...args: string[]): Promise<string> {
  const outcome = await runCli(args);
  if (outcome.code !== 0) throw new Error(`exit ${outcome.code}: ${outcome.stderr}`);
  return outcome.stdout;
}

describe('ltm reason', () => {
  it('should print coverage at S = 1 and S = 4 as JSON when a split is scored', async () => {
    const printed = JSON.parse(await run('reason', '--run', runDir, '--samples', '4',
      '--split', 'valid', '--inputs', '2', '--json'));
    expect(printed.step).toBe(2);
    expect(printed.means.inputs).toBe(2);
    expect(Object.keys(printed.coverageAt)).toEqual(['1', '4']);
  });

  it('should print the solution count and tally when a puzzle is given', async () => {
    const printed = await run('reason', '--run', runDir, '--puzzle', '12343412........',
      '--samples', '4');
    expect(printed).toMatch(/^12343412\.{8}: 4 solutions; 4 samples/);
  });

  it('should score against all 288 grids when generation is unconditional', async () => {
    const printed = JSON.parse(await run('reason', '--run', runDir, '--unconditional',
      '--samples', '2', '--json'));
    expect(printed.solutionCount).toBe(288);
    expect(printed.samples).toBe(2);
  });

  it('should exit 2 with one message when a puzzle and --unconditional are both given',
    async () => {
      expect(await runCli(['reason', '--run', runDir, '--unconditional', '--puzzle', '1']))
        .toEqual({ code: 2, stdout: '', stderr: 'ltm: reason: choose one of --puzzle, '
          + '--puzzles FILE and --unconditional\n' });
    });
});

describe('ltm puzzles count', () => {
  it('should print solutions and completeness as JSON when --json is given', async () => {
    const printed = await run('puzzles', 'count', '--task', 'sudoku4', '--puzzle',
      '12343412........', '--json');
    expect(JSON.parse(printed)).toEqual({ solutions: 4, complete: true });
  });

  it('should say "at least" when the count stops at --max', async () => {
    expect(await run('puzzles', 'count', '--task', 'sudoku4', '--puzzle', '12343412........',
      '--max', '2')).toBe('at least 2 solutions\n');
  });

  it('should say "1 solution" when the puzzle has exactly one', async () => {
    expect(await run('puzzles', 'count', '--task', 'sudoku4', '--puzzle', '1234341221434321'))
      .toBe('1 solution\n');
  });

  it('should exit 2 naming the families when the task is unknown', async () => {
    const outcome = await runCli(['puzzles', 'count', '--task', 'sudoku5', '--puzzle', '1']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/^ltm: --task sudoku5: use one of sudoku4, sudoku9, /);
  });
});

describe('reasonerProgressLine', () => {
  it('should print a line for start, log and checkpoint events and none per step', () => {
    const lines = events.map((event) => reasonerProgressLine('run', event));
    const start = lines[0] ?? '';
    expect(start).toMatch(/^run: reasoner on sudoku4, \d+ parameters/);
    expect(lines.some((line) => /^run: step 2 {2}ce /.test(line ?? ''))).toBe(true);
    expect(lines.some((line) => /^run: checkpoint at step 2/.test(line ?? ''))).toBe(true);
    const stepEvent = events.find((event) => event.type === 'step')!;
    expect(reasonerProgressLine('run', stepEvent)).toBeNull();
  });

  it('should list the damage and the checkpoint used when a resume passed one over, and print '
    + 'nothing when it did not', () => {
    const resume = { type: 'resume' as const, step: 2, checkpoint: 'r/checkpoints/step-2',
      damaged: [{ checkpoint: null, problem: 'r/latest.json: not valid JSON' },
        { checkpoint: 'r/checkpoints/step-4', problem: 'r/checkpoints/step-4/weights.bin: '
          + 'checksum mismatch; the file is corrupt' }] };
    expect(reasonerProgressLine('run', resume)).toBe([
      'run: cannot resume from the newest checkpoint:',
      'run:   r/latest.json: not valid JSON',
      'run:   r/checkpoints/step-4/weights.bin: checksum mismatch; the file is corrupt',
      'run: resuming from r/checkpoints/step-2 (step 2) instead, the newest that verifies; '
        + 'damaged checkpoints stay until the run saves their steps again',
    ].join('\n'));
    expect(reasonerProgressLine('run', { ...resume, damaged: [] })).toBeNull();
  });
});
