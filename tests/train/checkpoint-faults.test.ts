// Faults around checkpoints, in-process: a full disk in the middle of a save, a step whose
// loss is not finite, leftovers of a killed process, and how many checkpoints are kept. The
// previous checkpoint must stay loadable and the command must say which file failed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { loadConfig } from '../../src/config/index.js';
import { disposeDecoder, namedParams } from '../../src/decoder/index.js';
import { disposeAdamWState } from '../../src/train/adamw.js';
import {
  latestCheckpoint, loadCheckpoint, saveCheckpoint,
} from '../../src/train/checkpoint.js';
import { readJsonLines, readRun } from '../../src/train/run-folder.js';
import { storageHooks } from '../../src/train/storage.js';
import { train, type MetricRecord } from '../../src/train/trainer.js';
import { createLatentModel } from '../../src/vi/model.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ltm-checkpoint-faults-'));
const settings = ['train.steps=12', 'train.logEvery=1', 'train.checkpointEvery=4'];
const trainArgs = (dir: string, more: string[] = []) => ['train', '--config',
  'configs/tiny.json', ...[...settings, ...more].flatMap((value) => ['--set', value]),
  '--run', dir];
const reference = path.join(scratch, 'reference');
const at = (...parts: string[]) => path.join(scratch, ...parts);

/** An error like the one a full disk gives. */
function diskFull(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'),
    { code: 'ENOSPC', errno: -28, syscall: 'write' });
}

/** Makes the write of the first file whose path matches `pattern` fail as on a full disk. */
function failWriteOf(pattern: RegExp): string[] {
  const attempted: string[] = [];
  storageHooks.beforeWrite = (file) => {
    attempted.push(file);
    if (pattern.test(file)) throw diskFull();
  };
  return attempted;
}

function metrics(dir: string) {
  return readJsonLines<MetricRecord>(dir, 'metrics.jsonl').map((record) => {
    const { elapsedSeconds: _elapsed, tokensPerSecond: _speed, ...rest } = record;
    return rest;
  });
}

const stepFolders = (dir: string) => fs.readdirSync(path.join(dir, 'checkpoints')).sort();

/** Loads the checkpoint latest.json names (verifying its checksums) and returns its step. */
function latestStepLoadable(dir: string): number {
  const checkpoint = latestCheckpoint(dir);
  expect(checkpoint).not.toBeNull();
  const model = createLatentModel(readRun(dir).config, 256);
  try {
    const { optimizer, state } = loadCheckpoint(checkpoint!, namedParams(model.decoder.params));
    disposeAdamWState(optimizer);
    return state.step;
  } finally {
    disposeDecoder(model.decoder);
  }
}

async function expectResumedLikeReference(dir: string): Promise<void> {
  const resumed = await runCli(['train', '--run', dir, '--resume']);
  expect(resumed.stderr).toBe('');
  expect(resumed.code).toBe(0);
  expect(metrics(dir)).toEqual(metrics(reference));
  expect(stepFolders(dir)).toEqual(stepFolders(reference));
}

beforeAll(async () => {
  const straight = await runCli(trainArgs(reference));
  expect(straight.code, straight.stderr).toBe(0);
});

afterEach(() => {
  storageHooks.beforeWrite = null;
});

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('a full disk during training', () => {
  it('should exit 1 naming optimizer.bin, keep step 4 loadable and resume exactly when the '
    + 'write of step 8 fails', async () => {
    const dir = at('full-optimizer');
    failWriteOf(/step-00000008\.partial-\d+\/optimizer\.bin$/);
    const outcome = await runCli(trainArgs(dir));
    storageHooks.beforeWrite = null;

    expect(outcome.code).toBe(1);
    const [line, ...rest] = outcome.stderr.split('\n');
    expect(rest).toEqual(['']);
    expect(line).toMatch(new RegExp(`^ltm: ${dir}/checkpoints/\\.step-00000008\\.partial-\\d+`
      + '/optimizer\\.bin: cannot write it \\(ENOSPC: no space left on device, write\\); '
      + 'the disk is full; free some space\\. The checkpoint of step 8 was not saved\\. The '
      + `previous checkpoint ${dir}/checkpoints/step-00000004 is intact`));
    expect(stepFolders(dir)).toEqual(['step-00000004']);
    expect(latestStepLoadable(dir)).toBe(4);
    expect(metrics(dir).at(-1)?.step).toBe(8);
    await expectResumedLikeReference(dir);
  });

  it('should keep latest.json on step 4 and say so when only the pointer cannot be written',
    async () => {
      const dir = at('full-pointer');
      // The pointer of step 4 goes through; the one of step 8 finds the disk full.
      storageHooks.beforeWrite = (file) => {
        if (/\.latest\.json\.partial/.test(file) && fs.existsSync(path.join(dir, 'latest.json'))) {
          throw diskFull();
        }
      };
      const outcome = await runCli(trainArgs(dir));
      storageHooks.beforeWrite = null;
      expect(outcome.code).toBe(1);
      expect(outcome.stderr).toContain(`${dir}/.latest.json.partial-`);
      expect(outcome.stderr).toContain(`The checkpoint ${dir}/checkpoints/step-00000008 is `
        + `complete, but latest.json still names ${dir}/checkpoints/step-00000004`);
      expect(latestStepLoadable(dir)).toBe(4);
      expect(fs.readdirSync(dir).filter((name) => name.includes('.partial-'))).toEqual([]);
      await expectResumedLikeReference(dir);
    });

  it('should exit 1 naming metrics.jsonl when a metric line cannot be appended', async () => {
    const dir = at('full-metrics');
    let lines = 0;
    storageHooks.beforeWrite = (file) => {
      if (file.endsWith('metrics.jsonl') && ++lines === 6) throw diskFull();
    };
    const outcome = await runCli(trainArgs(dir));
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toBe(`ltm: ${dir}/metrics.jsonl: cannot write it (ENOSPC: no `
      + 'space left on device, write); the disk is full; free some space. The checkpoints are '
      + 'unaffected\n');
    expect(latestStepLoadable(dir)).toBe(4);
    await expectResumedLikeReference(dir);
  });
});

describe('a step that is not finite, through the command line', () => {
  it('should exit 1 naming the step, the term and the decoder rate, and keep step 1, when '
    + 'train.lr is 1e30', async () => {
    const dir = at('absurd-lr');
    const outcome = await runCli(trainArgs(dir, ['train.lr=1e30', 'train.warmupSteps=0',
      'train.checkpointEvery=1']));
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toBe('ltm: step 2: the KL is not finite; likely cause: the '
      + 'decoder\'s weights have grown to 1.00e+30: lower train.lr (now 1e+30). The last good '
      + `checkpoint, ${dir}/checkpoints/step-00000001, is kept; set train.onNonFinite to `
      + '"skip" to drop such batches instead of stopping.\n');
    expect(latestStepLoadable(dir)).toBe(1);
  });

  it('should blame the inner loop and say no checkpoint exists when vi.innerLr is 1e30',
    async () => {
      const dir = at('absurd-inner-lr');
      const outcome = await runCli(trainArgs(dir, ['vi.innerLr=1e30', 'vi.maxStepNorm=0']));
      expect(outcome.code).toBe(1);
      expect(outcome.stderr).toContain('ltm: step 1: the KL is not finite; likely cause: the '
        + 'inner loop diverged (vi.innerLr 1e+30, vi.maxStepNorm 0): lower vi.innerLr');
      expect(outcome.stderr).toContain('No checkpoint was written before it');
      expect(latestCheckpoint(dir)).toBeNull();
    });
});

describe('leftovers of a killed process', () => {
  it('should drop half checkpoints, checkpoints past latest and metric lines past it when '
    + 'resumed', async () => {
    const dir = at('leftovers');
    fs.cpSync(reference, dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'latest.json'),
      '{"checkpoint": "checkpoints/step-00000008"}\n');
    fs.rmSync(path.join(dir, 'eval-valid.json'));
    fs.mkdirSync(path.join(dir, 'checkpoints', '.step-00000010.partial-99999'));
    fs.writeFileSync(path.join(dir, '.latest.json.partial-99999'), '{"chec');
    fs.appendFileSync(path.join(dir, 'metrics.jsonl'), '{"step": 13, "nll": 1}\n{"step": 1');
    // The folder of step 12 stays: written, but never named by latest.json. One of step 99
    // would be the newest and, kept, push out a checkpoint the run needs.
    fs.mkdirSync(path.join(dir, 'checkpoints', 'step-00000099'));
    await expectResumedLikeReference(dir);
    expect(fs.readdirSync(dir).filter((name) => name.includes('partial'))).toEqual([]);
  });

  it('should start over with the same numbers when --resume finds no checkpoint', async () => {
    const dir = at('no-checkpoint');
    fs.cpSync(reference, dir, { recursive: true });
    fs.rmSync(path.join(dir, 'latest.json'));
    fs.rmSync(path.join(dir, 'checkpoints'), { recursive: true });
    await expectResumedLikeReference(dir);
  });
});

describe('train.keepCheckpoints', () => {
  it.for([1, 2, 5])('should keep the newest %i complete checkpoints, latest.json naming the '
    + 'newest, after every save', async (keep) => {
    const dir = at(`keep-${keep}`);
    const config = loadConfig('configs/tiny.json', ['train.steps=6', 'train.checkpointEvery=1',
      `train.keepCheckpoints=${keep}`]).config;
    const seen: string[][] = [];
    const result = await train(config, { runDir: dir, finalEval: false, onEvent: (event) => {
      if (event.type !== 'checkpoint') return;
      expect(latestCheckpoint(dir)).toBe(event.path);
      seen.push(stepFolders(dir));
    } });
    disposeDecoder(result.model.decoder);
    const names = (steps: number[]) => steps.map((step) => `step-0000000${step}`);
    const window = (last: number) => names(Array.from({ length: Math.min(keep, last) },
      (_, index) => last - Math.min(keep, last) + 1 + index));
    expect(seen).toEqual([1, 2, 3, 4, 5, 6].map(window));
    expect(latestStepLoadable(dir)).toBe(6);
  });

  it('should write nothing when the step latest.json names is saved again', async () => {
    const dir = at('keep-1');
    const checkpoint = latestCheckpoint(dir)!;
    const inode = fs.statSync(checkpoint).ino;
    const model = createLatentModel(readRun(dir).config, 256);
    const params = namedParams(model.decoder.params);
    const { optimizer, state } = loadCheckpoint(checkpoint, params);
    const attempted = failWriteOf(/./);
    expect(saveCheckpoint(dir, { params, optimizer, state }, 1)).toBe(checkpoint);
    expect(attempted).toEqual([]);
    expect(fs.statSync(checkpoint).ino).toBe(inode);
    disposeAdamWState(optimizer);
    disposeDecoder(model.decoder);
  });
});
