// A real `ltm train` stopped by Ctrl-C, by a second Ctrl-C and by kill -9 at chosen moments
// (mid-training, mid-checkpoint, at random) or by a reader that closes its pipe: latest.json
// must always name a complete checkpoint, and a resumed run must end with the uninterrupted
// run's numbers to the bit.
// `ltm main` stopped by Ctrl-C resumes the same way.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/backend/index.js';
import { runCli } from '../../src/cli/program.js';
import { disposeDecoder, namedParams } from '../../src/decoder/index.js';
import { createRng } from '../../src/random.js';
import { disposeAdamWState } from '../../src/train/adamw.js';
import { latestCheckpoint, loadCheckpoint } from '../../src/train/checkpoint.js';
import { readJsonLines, readRun } from '../../src/train/run-folder.js';
import type { MetricRecord } from '../../src/train/trainer.js';
import { createLatentModel } from '../../src/vi/model.js';
import { startLtm, waitFor, type LtmProcess } from './ltm-process.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ltm-interrupt-'));
const settings = ['train.steps=16', 'train.logEvery=1', 'train.checkpointEvery=4',
  'train.keepCheckpoints=2'].flatMap((value) => ['--set', value]);
const trainArgs = (dir: string, ...more: string[]) =>
  ['train', '--config', 'configs/tiny.json', ...settings, ...more, '--run', dir];
const resumeArgs = (dir: string) => ['train', '--run', dir, '--resume'];
/** Makes each checkpoint file wait this long before it is written (see checkpoint.ts). */
const slowCheckpoints = (ms: number) => ({ LTM_TEST_CHECKPOINT_PAUSE_MS: String(ms) });

const reference = path.join(scratch, 'uninterrupted');

/** The metric lines of a run without their wall-clock fields. */
function metrics(dir: string) {
  return readJsonLines<MetricRecord>(dir, 'metrics.jsonl').map((record) => {
    const { elapsedSeconds: _elapsed, tokensPerSecond: _speed, ...rest } = record;
    return rest;
  });
}

const lastStep = (dir: string) => metrics(dir).at(-1)?.step ?? 0;

function partials(dir: string): string[] {
  const root = path.join(dir, 'checkpoints');
  return fs.existsSync(root) ? fs.readdirSync(root).filter((name) => name.includes('.partial-'))
    : [];
}

/** Loads the checkpoint latest.json names, which verifies every checksum; returns its step. */
function latestStepLoadable(dir: string): number | null {
  const checkpoint = latestCheckpoint(dir);
  if (checkpoint === null) return null;
  const model = createLatentModel(readRun(dir).config, 256);
  try {
    const { optimizer, state } = loadCheckpoint(checkpoint, namedParams(model.decoder.params));
    disposeAdamWState(optimizer);
    expect(path.basename(checkpoint)).toBe(`step-${String(state.step).padStart(8, '0')}`);
    return state.step;
  } finally {
    disposeDecoder(model.decoder);
  }
}

async function kill9(ltm: LtmProcess): Promise<void> {
  ltm.child.kill('SIGKILL');
  expect((await ltm.ended).signal).toBe('SIGKILL');
}

/**
 * Starts a run in `scratch/name` whose slow checkpoints keep it going well past step 6 on any
 * machine, stops it with `stop` once step 6 is logged, and waits for the process to end.
 */
async function stoppedAfterStep6(name: string, stop: (ltm: LtmProcess) => void):
  Promise<{ dir: string; ltm: LtmProcess; code: number | null }> {
  const dir = path.join(scratch, name);
  const ltm = startLtm(trainArgs(dir), slowCheckpoints(300));
  await waitFor('step 6', () => lastStep(dir) >= 6);
  stop(ltm);
  const { code } = await ltm.ended;
  return { dir, ltm, code };
}

/** Resumes in-process to the end and checks the numbers against the uninterrupted run. */
async function expectResumedLikeReference(dir: string): Promise<void> {
  const resumed = await runCli(resumeArgs(dir));
  expect(resumed.stderr).toBe('');
  expect(resumed.code).toBe(0);
  expect(partials(dir)).toEqual([]);
  expect(metrics(dir)).toEqual(metrics(reference));
  const evaluation = (run: string) =>
    JSON.parse(fs.readFileSync(path.join(run, 'eval-valid.json'), 'utf8'));
  expect(evaluation(dir)).toEqual(evaluation(reference));
  expect(latestStepLoadable(dir)).toBe(16);
}

beforeAll(async () => {
  const straight = await runCli(trainArgs(reference));
  expect(straight.code, straight.stderr).toBe(0);
  expect(metrics(reference).map((record) => record.step)).toEqual(
    Array.from({ length: 16 }, (_, index) => index + 1));
});

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('ltm train and Ctrl-C', () => {
  it('should checkpoint, exit 130 and resume to identical numbers when SIGINT arrives once',
    async () => {
      const { dir, ltm, code } = await stoppedAfterStep6('sigint',
        (run) => run.child.kill('SIGINT'));
      expect(ltm.stderr()).toBe('');
      expect(code).toBe(130);
      expect(ltm.stdout()).toContain('SIGINT received, stopping at the next step');
      const stopped = Number(/stopped at step (\d+); resume with: npx ltm train --run (.*) --resume/
        .exec(ltm.stdout())?.[1]);
      expect(stopped).toBeGreaterThanOrEqual(6);
      expect(latestStepLoadable(dir)).toBe(stopped);
      await expectResumedLikeReference(dir);
    });

  it('should end at once, keeping no half checkpoint as latest, when SIGINT comes twice',
    async () => {
      const dir = path.join(scratch, 'twice');
      // Only the checkpoint the first Ctrl-C asks for, written slowly: 4 files, 2 s each.
      const ltm = startLtm(trainArgs(dir, '--set', 'train.checkpointEvery=0'),
        slowCheckpoints(2000));
      await waitFor('step 1', () => lastStep(dir) >= 1);
      ltm.child.kill('SIGINT');
      await waitFor('the first signal to be heard', () => ltm.stdout().includes('received'));
      await waitFor('a checkpoint being written', () => partials(dir).length > 0);
      const second = Date.now();
      ltm.child.kill('SIGINT');
      // The default action of SIGINT: the shell reports 128 + 2 = 130.
      expect((await ltm.ended).signal).toBe('SIGINT');
      expect(Date.now() - second).toBeLessThan(1500);
      expect(fs.existsSync(path.join(dir, 'latest.json'))).toBe(false);
      expect(partials(dir)).toHaveLength(1);
      await expectResumedLikeReference(dir);
    });
});

describe('ltm train whose reader goes away', () => {
  it('should stop as on Ctrl-C, checkpoint and resume to identical numbers when stdout closes',
    async () => {
      // Like `ltm train | head` after head has read its lines: the next write fails.
      const { dir, ltm, code } = await stoppedAfterStep6('pipe',
        (run) => run.child.stdout!.destroy());
      expect(ltm.stderr()).toContain('tiny: standard output closed, stopping at the next step');
      expect(ltm.stderr()).toMatch(/stopped at step \d+; resume with: npx ltm train --run /);
      expect(ltm.stderr()).not.toMatch(/\n\s+at /);
      expect(code).toBe(130);
      expect(latestStepLoadable(dir)).toBe(lastStep(dir));
      await expectResumedLikeReference(dir);
    });
});

describe('ltm train killed with SIGKILL', () => {
  it('should always leave latest.json on a complete checkpoint and resume to identical '
    + 'numbers when killed mid-training, mid-checkpoint and at a random moment', async () => {
    const dir = path.join(scratch, 'killed');

    // Mid-training: two steps after the checkpoint of step 8 (the one of step 12 is slow).
    const first = startLtm(trainArgs(dir), slowCheckpoints(300));
    await waitFor('step 10', () => lastStep(dir) >= 10);
    await kill9(first);
    expect(latestStepLoadable(dir)).toBe(8);

    // Mid-checkpoint: weights.bin of step 12 written, the other files not yet.
    const second = startLtm(resumeArgs(dir), slowCheckpoints(400));
    await waitFor('a half-written checkpoint', () => partials(dir).some((name) =>
      fs.existsSync(path.join(dir, 'checkpoints', name, 'weights.bin'))));
    await kill9(second);
    expect(partials(dir)).toHaveLength(1);
    expect(latestStepLoadable(dir)).toBe(8);

    // At a random moment of a resumed run, whose slow checkpoints make it last over 2 s.
    const third = startLtm(resumeArgs(dir), slowCheckpoints(300));
    await waitFor('training to start', () => third.stdout().includes('decoder parameters'));
    await new Promise((resolve) => setTimeout(resolve, createRng('kill').int(2000)));
    await kill9(third);
    expect(latestStepLoadable(dir)).toBeGreaterThanOrEqual(8);
    expect(lastStep(dir)).toBeGreaterThanOrEqual(8);

    await expectResumedLikeReference(dir);
  });
});

describe('ltm main and Ctrl-C', () => {
  const mainArgs = (dir: string) => ['main', '--config', 'configs/tiny.json', ...settings,
    '--run', dir];
  /** The job's summary without its wall-clock fields. */
  const summary = (dir: string) => {
    const { ltmWallSeconds: _ltm, arWallSeconds: _ar, ...rest } = JSON.parse(
      fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
    return rest;
  };

  it('should say how to continue and end with the uninterrupted summary when resumed',
    async () => {
      const straight = path.join(scratch, 'main-straight');
      expect((await runCli(mainArgs(straight))).code).toBe(0);

      const dir = path.join(scratch, 'main-stopped');
      const job = startLtm(mainArgs(dir), slowCheckpoints(300));
      await waitFor('step 6', () => lastStep(path.join(dir, 'ltm')) >= 6);
      job.child.kill('SIGINT');
      expect((await job.ended).code).toBe(130);
      expect(job.stdout()).toContain(`continue with: npx ltm main --run ${dir} --resume`);
      expect(fs.existsSync(path.join(dir, 'ar'))).toBe(false);

      const resumed = await runCli(['main', '--run', dir, '--resume']);
      expect(resumed.stderr).toBe('');
      expect(resumed.code).toBe(0);
      expect(summary(dir)).toEqual(summary(straight));
      expect(metrics(path.join(dir, 'ltm'))).toEqual(metrics(path.join(straight, 'ltm')));
    });
});

describe('tensors after the checks above', () => {
  it('should hold no tensors of the checkpoints the tests loaded when all is done', () => {
    const before = tf.memory().numTensors;
    latestStepLoadable(reference);
    expect(tf.memory().numTensors).toBe(before);
  });
});
