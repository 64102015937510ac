// Resuming past damage: the newest checkpoint spoiled in one way or another, `ltm train
// --resume` must say what it passed over, go on from the newest one that verifies, and end
// with the numbers of a run never damaged; with nothing intact it must refuse and list why.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { loadConfig } from '../../src/config/index.js';
import { disposeDecoder } from '../../src/decoder/index.js';
import { latestCheckpoint, verifyCheckpoint } from '../../src/train/checkpoint.js';
import { readJsonLines } from '../../src/train/run-folder.js';
import { train, type MetricRecord, type TrainEvent } from '../../src/train/trainer.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ltm-resume-'));
const settings = ['train.steps=12', 'train.logEvery=1', 'train.checkpointEvery=4',
  'train.evalEvery=4'];
const reference = path.join(scratch, 'reference');
const stepName = (step: number) => `step-${String(step).padStart(8, '0')}`;
const checkpointOf = (dir: string, step: number) => path.join(dir, 'checkpoints', stepName(step));
const fileOf = (dir: string, step: number, file: string) =>
  path.join(checkpointOf(dir, step), file);

function metrics(dir: string) {
  return readJsonLines<MetricRecord>(dir, 'metrics.jsonl').map((record) => {
    const { elapsedSeconds: _elapsed, tokensPerSecond: _speed, ...rest } = record;
    return rest;
  });
}

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
const stepFolders = (dir: string) => fs.readdirSync(path.join(dir, 'checkpoints')).sort();

function flipByte(file: string): void {
  const bytes = fs.readFileSync(file);
  bytes[bytes.length >> 1] ^= 0x01;
  fs.writeFileSync(file, bytes);
}

function halve(file: string): void {
  fs.truncateSync(file, fs.statSync(file).size >> 1);
}

/**
 * A copy of the finished reference as a killed process might leave it when the checkpoint
 * `from` is the newest good one: lines after it that differ from the reference, a line past
 * every checkpoint, and no final evaluation.
 */
function interruptedCopy(name: string, from: number): string {
  const dir = path.join(scratch, name);
  fs.cpSync(reference, dir, { recursive: true });
  fs.rmSync(path.join(dir, 'eval-valid.json'));
  const lines = read(dir, 'metrics.jsonl').split('\n').filter((line) => line !== '')
    .map((line) => JSON.parse(line) as MetricRecord)
    .map((record) => (record.step > from ? { ...record, nll: -1 } : record));
  fs.writeFileSync(path.join(dir, 'metrics.jsonl'), [...lines, { step: 13, nll: -1 }]
    .map((record) => JSON.stringify(record) + '\n').join(''));
  fs.appendFileSync(path.join(dir, 'evals.jsonl'), '{"step": 13, "split": "valid"}\n');
  return dir;
}

interface Damage {
  when: string;
  /** Spoils the copy; returns what the resume must report, one problem per line. */
  spoil: (dir: string) => string[];
  resumesFrom: number;
}

const damages: Damage[] = [
  { when: 'weights.bin of the newest checkpoint is truncated', resumesFrom: 8, spoil: (dir) => {
    const file = fileOf(dir, 12, 'weights.bin');
    const bytes = fs.statSync(file).size;
    halve(file);
    return [`${file}: ${bytes >> 1} bytes, the manifest says ${bytes}; the file is truncated `
      + 'or was replaced'];
  } },
  { when: 'a byte of the newest optimizer.bin is flipped', resumesFrom: 8, spoil: (dir) => {
    flipByte(fileOf(dir, 12, 'optimizer.bin'));
    return [`${fileOf(dir, 12, 'optimizer.bin')}: checksum mismatch; the file is corrupt`];
  } },
  { when: 'the newest manifest.json is deleted', resumesFrom: 8, spoil: (dir) => {
    fs.rmSync(fileOf(dir, 12, 'manifest.json'));
    return [`${fileOf(dir, 12, 'manifest.json')}: missing or not valid JSON; the checkpoint `
      + 'is incomplete'];
  } },
  { when: 'the newest manifest gives a tensor a shape its floats do not fill', resumesFrom: 8,
    spoil: (dir) => {
      const file = fileOf(dir, 12, 'manifest.json');
      const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
      const [first] = manifest.tensors.weights;
      first.shape = [first.shape[0] - 1, ...first.shape.slice(1)];
      fs.writeFileSync(file, JSON.stringify(manifest));
      const floats = fs.statSync(fileOf(dir, 12, 'weights.bin')).size / 4;
      return [`${file}: tensor '${first.name}' of shape [${first.shape}] does not match its `
        + `${first.length} floats at ${first.offset} in weights.bin (${floats} floats); the `
        + 'checkpoint is damaged'];
    } },
  { when: 'latest.json names a folder that is gone', resumesFrom: 8, spoil: (dir) => {
    fs.rmSync(checkpointOf(dir, 12), { recursive: true });
    return [`${path.join(dir, 'latest.json')}: names checkpoints/${stepName(12)}, which does `
      + 'not exist'];
  } },
  { when: 'latest.json holds garbage', resumesFrom: 12, spoil: (dir) => {
    fs.writeFileSync(path.join(dir, 'latest.json'), '\u0000{"checkpoint": ');
    return [`${path.join(dir, 'latest.json')}: not valid JSON`];
  } },
  { when: 'latest.json holds garbage and the newest weights.bin is empty', resumesFrom: 8,
    spoil: (dir) => {
      fs.writeFileSync(path.join(dir, 'latest.json'), 'step 12');
      fs.truncateSync(fileOf(dir, 12, 'weights.bin'), 0);
      const bytes = fs.statSync(fileOf(reference, 12, 'weights.bin')).size;
      return [`${path.join(dir, 'latest.json')}: not valid JSON`,
        `${fileOf(dir, 12, 'weights.bin')}: 0 bytes, the manifest says ${bytes}; the file is `
        + 'truncated or was replaced'];
    } },
];

beforeAll(async () => {
  const straight = await runCli(['train', '--config', 'configs/tiny.json',
    ...settings.flatMap((value) => ['--set', value]), '--run', reference]);
  expect(straight.code, straight.stderr).toBe(0);
  expect(stepFolders(reference)).toEqual([4, 8, 12].map(stepName));
  expect(readJsonLines<{ step: number }>(reference, 'evals.jsonl').map((line) => line.step))
    .toEqual([4, 8]);
});

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('ltm train --resume past a damaged checkpoint', () => {
  it.for(damages)('should report the damage, resume from step $resumesFrom and end like the '
    + 'uninterrupted run when $when', async ({ when, spoil, resumesFrom }) => {
    const dir = interruptedCopy(when.replace(/\W+/g, '-'), resumesFrom);
    const problems = spoil(dir);
    const resumed = await runCli(['train', '--run', dir, '--resume']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(['tiny: cannot resume from the newest checkpoint:',
      ...problems.map((problem) => `tiny:   ${problem}`),
      `tiny: resuming from ${checkpointOf(dir, resumesFrom)} (step ${resumesFrom}) instead, `
        + 'the newest that verifies; damaged checkpoints stay until the run saves their steps '
        + 'again\n'].join('\n'));
    expect(metrics(dir)).toEqual(metrics(reference));
    expect(read(dir, 'evals.jsonl')).toBe(read(reference, 'evals.jsonl'));
    expect(JSON.parse(read(dir, 'eval-valid.json')))
      .toEqual(JSON.parse(read(reference, 'eval-valid.json')));
    expect(stepFolders(dir)).toEqual(stepFolders(reference));
    expect(latestCheckpoint(dir)).toBe(checkpointOf(dir, 12));
    expect(verifyCheckpoint(checkpointOf(dir, 12)).manifest)
      .toEqual(verifyCheckpoint(checkpointOf(reference, 12)).manifest);
  });

  it('should print nothing about damage when the checkpoint latest.json names is intact',
    async () => {
      const dir = interruptedCopy('intact', 12);
      const resumed = await runCli(['train', '--run', dir, '--resume']);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stdout).not.toContain('cannot resume');
      expect(resumed.stdout).not.toContain('resuming from');
      expect(metrics(dir)).toEqual(metrics(reference));
    });
});

describe('ltm train --resume with no intact checkpoint', () => {
  it('should exit 2 listing every problem and change nothing when all are damaged',
    async () => {
      const dir = interruptedCopy('all-damaged', 12);
      fs.writeFileSync(path.join(dir, 'latest.json'), '{"checkpoint": "checkpoints/step-9"}');
      halve(fileOf(dir, 12, 'weights.bin'));
      flipByte(fileOf(dir, 8, 'optimizer.bin'));
      fs.rmSync(fileOf(dir, 4, 'manifest.json'));
      const before = ['metrics.jsonl', 'evals.jsonl', 'latest.json'].map((file) => read(dir, file));
      const bytes = fs.statSync(fileOf(reference, 12, 'weights.bin')).size;

      const outcome = await runCli(['train', '--run', dir, '--resume']);
      expect(outcome.code).toBe(2);
      expect(outcome.stdout).toBe('');
      expect(outcome.stderr).toBe(`ltm: ${dir}: no checkpoint to resume from verifies:\n`
        + `  ${dir}/latest.json: names checkpoints/step-9, which does not exist\n`
        + `  ${fileOf(dir, 12, 'weights.bin')}: ${bytes >> 1} bytes, the manifest says `
        + `${bytes}; the file is truncated or was replaced\n`
        + `  ${fileOf(dir, 8, 'optimizer.bin')}: checksum mismatch; the file is corrupt\n`
        + `  ${fileOf(dir, 4, 'manifest.json')}: missing or not valid JSON; the checkpoint is `
        + 'incomplete\n'
        + 'Restore the damaged files from a copy, or delete latest.json and checkpoints/ to '
        + 'train the run again from step 0; nothing in the run folder was changed\n');
      expect(['metrics.jsonl', 'evals.jsonl', 'latest.json'].map((file) => read(dir, file)))
        .toEqual(before);
      expect(stepFolders(dir)).toEqual([4, 8, 12].map(stepName));
    });
});

describe('checkpoints saved after resuming past a damaged one', () => {
  const config = (checkpointEvery: number) => loadConfig('configs/tiny.json', ['train.steps=8',
    'train.logEvery=1', `train.checkpointEvery=${checkpointEvery}`,
    'train.keepCheckpoints=2']).config;

  async function trainInto(dir: string, checkpointEvery: number, resume: boolean,
    onEvent: (event: TrainEvent) => void = () => {}, stopAt = Infinity) {
    let step = 0;
    const result = await train(config(checkpointEvery), { runDir: dir, resume,
      finalEval: false, shouldStop: () => step >= stopAt,
      onEvent: (event) => {
        if (event.type === 'step') step = event.step;
        onEvent(event);
      } });
    disposeDecoder(result.model.decoder);
  }

  it('should keep the damaged newer folder uncounted until the save of its step replaces it',
    async () => {
      const dir = path.join(scratch, 'keep-damaged');
      await trainInto(dir, 2, false);
      const straight = metrics(dir);
      expect(stepFolders(dir)).toEqual([6, 8].map(stepName));
      halve(fileOf(dir, 8, 'weights.bin'));
      const damagedInode = fs.statSync(checkpointOf(dir, 8)).ino;

      // Saving every step now: the one of step 7 comes before the damaged step 8.
      const seen: { folders: string[]; latest: string | null; sameInode: boolean }[] = [];
      const resumes: TrainEvent[] = [];
      await trainInto(dir, 1, true, (event) => {
        if (event.type === 'resume') resumes.push(event);
        if (event.type !== 'checkpoint') return;
        seen.push({ folders: stepFolders(dir), latest: latestCheckpoint(dir),
          sameInode: fs.statSync(checkpointOf(dir, 8)).ino === damagedInode });
      });
      expect(resumes).toMatchObject([{ step: 6, checkpoint: checkpointOf(dir, 6),
        damaged: [{ checkpoint: checkpointOf(dir, 8) }] }]);
      expect(seen).toEqual([
        { folders: [6, 7, 8].map(stepName), latest: checkpointOf(dir, 7), sameInode: true },
        { folders: [7, 8].map(stepName), latest: checkpointOf(dir, 8), sameInode: false },
      ]);
      expect(verifyCheckpoint(checkpointOf(dir, 8)).state.step).toBe(8);
      expect(metrics(dir)).toEqual(straight);
      expect(fs.readdirSync(path.join(dir, 'checkpoints')).join()).not.toContain('partial');
    });

  it('should leave the damaged folder in place and name the good one in latest.json when '
    + 'stopped before its step', async () => {
    const dir = path.join(scratch, 'stop-before-damaged');
    await trainInto(dir, 4, false);
    const straight = metrics(dir);
    flipByte(fileOf(dir, 8, 'state.json'));
    const damagedBytes = fs.readFileSync(fileOf(dir, 8, 'state.json'));

    await trainInto(dir, 4, true, () => {}, 6);
    expect(stepFolders(dir)).toEqual([4, 6, 8].map(stepName));
    expect(latestCheckpoint(dir)).toBe(checkpointOf(dir, 6));
    expect(fs.readFileSync(fileOf(dir, 8, 'state.json'))).toEqual(damagedBytes);

    await trainInto(dir, 4, true);
    expect(stepFolders(dir)).toEqual([6, 8].map(stepName));
    expect(verifyCheckpoint(checkpointOf(dir, 8)).state.step).toBe(8);
    expect(metrics(dir)).toEqual(straight);
  });
});
