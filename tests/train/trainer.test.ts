// The training loop on the miniature config (wasm backend): repeatable runs, non-finite
// losses stopped or skipped by step, the run folder's files, and checkpoints that resume
// exactly, pass over a corrupt one to the one before, and refuse another architecture.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config/index.js';
import { disposeDecoder, namedParams } from '../../src/decoder/index.js';
import { CheckpointError, NumericalError } from '../../src/errors.js';
import { latestCheckpoint, loadCheckpoint } from '../../src/train/checkpoint.js';
import { readJsonLines } from '../../src/train/run-folder.js';
import {
  train, type MetricRecord, type TrainEvent, type TrainOptions, type TrainResult,
} from '../../src/train/trainer.js';
import { createLatentModel } from '../../src/vi/model.js';

const tiny = (overrides: string[] = []): Config =>
  loadConfig('configs/tiny.json', ['backend=wasm', ...overrides]).config;

let scratch: string;

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ltm-trainer-'));
});

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** Trains and keeps every event; the model is freed, its numbers kept. */
async function trainCollecting(config: Config, options: Partial<TrainOptions> = {}) {
  const events: TrainEvent[] = [];
  const result: TrainResult = await train(config, {
    runDir: null, ...options, onEvent: (event) => events.push(event),
  });
  disposeDecoder(result.model.decoder);
  const logs = events.flatMap((event) => (event.type === 'log' ? [event.record] : []));
  return { result, events, logs };
}

/** A metric line without its wall-clock fields, which differ between any two runs. */
function withoutTiming(record: MetricRecord) {
  const { elapsedSeconds: _elapsed, tokensPerSecond: _speed, ...rest } = record;
  return rest;
}

describe('train in memory', () => {
  it('should give identical metrics and evaluation when config and seed are the same', async () => {
    const first = await trainCollecting(tiny());
    const second = await trainCollecting(tiny());
    expect(first.logs.map((record) => record.step)).toEqual([1, 2, 4]);
    expect(second.logs.map(withoutTiming)).toEqual(first.logs.map(withoutTiming));
    expect(second.result.evaluation).toEqual(first.result.evaluation);
    expect(first.result.evaluation!.sequences).toBe(8);
    expect(first.result.steps).toBe(4);
  });

  it('should give different metrics when the seed differs', async () => {
    const first = await trainCollecting(tiny(), { finalEval: false });
    const other = await trainCollecting(tiny(['train.seed=2']), { finalEval: false });
    expect(other.logs[0].nll).not.toBe(first.logs[0].nll);
  });

  it('should throw NumericalError naming step 2 when train.lr is absurd and onNonFinite is stop',
    async () => {
      const attempt = trainCollecting(tiny(['train.lr=1e30', 'train.warmupSteps=0']),
        { finalEval: false });
      await expect(attempt).rejects.toThrow(NumericalError);
      await expect(attempt).rejects.toMatchObject({
        step: 2, message: expect.stringMatching(/^step 2: .*not finite/),
      });
    });

  it('should count skipped steps 2 to 4 when train.lr is absurd and onNonFinite is skip',
    async () => {
      const { events, result } = await trainCollecting(tiny(['train.lr=1e30',
        'train.warmupSteps=0', 'train.onNonFinite=skip']), { finalEval: false });
      const skipped = events.flatMap((event) => (event.type === 'skip' ? [event.step] : []));
      expect(skipped).toEqual([2, 3, 4]);
      expect(result.steps).toBe(4);
    });
});

describe('train with a run folder', () => {
  let straight: string;
  let straightRun: Awaited<ReturnType<typeof trainCollecting>>;

  beforeAll(async () => {
    straight = path.join(scratch, 'straight');
    straightRun = await trainCollecting(tiny(), { runDir: straight });
  });

  it('should write the resolved config, meta, metrics, latest.json and checkpoints', () => {
    const saved = JSON.parse(fs.readFileSync(path.join(straight, 'config.json'), 'utf8'));
    expect(saved).toEqual(tiny());
    const meta = JSON.parse(fs.readFileSync(path.join(straight, 'meta.json'), 'utf8'));
    expect(meta.seed).toBe(1);
    expect(meta.backend).toBe('wasm');
    expect(readJsonLines<MetricRecord>(straight, 'metrics.jsonl').map(withoutTiming))
      .toEqual(straightRun.logs.map(withoutTiming));
    expect(latestCheckpoint(straight)).toBe(path.join(straight, 'checkpoints', 'step-00000004'));
    expect(fs.readdirSync(path.join(straight, 'checkpoints')).sort())
      .toEqual(['step-00000002', 'step-00000004']);
    expect(fs.existsSync(path.join(straight, 'eval-valid.json'))).toBe(true);
  });

  it('should end exactly like an uninterrupted run when stopped at step 2 and resumed',
    async () => {
      const resumed = path.join(scratch, 'resumed');
      let stepsSeen = 0;
      const first = await train(tiny(), {
        runDir: resumed,
        onEvent: (event) => {
          if (event.type === 'step') stepsSeen = event.step;
        },
        shouldStop: () => stepsSeen >= 2,
      });
      disposeDecoder(first.model.decoder);
      expect(first.interrupted).toBe(true);
      expect(first.steps).toBe(2);
      expect(latestCheckpoint(resumed)).toMatch(/step-00000002$/);

      const second = await trainCollecting(tiny(), { runDir: resumed, resume: true });
      expect(second.result.steps).toBe(4);
      expect(second.logs.map((record) => record.step)).toEqual([4]);
      expect(readJsonLines<MetricRecord>(resumed, 'metrics.jsonl').map(withoutTiming))
        .toEqual(straightRun.logs.map(withoutTiming));
      expect(second.result.evaluation).toEqual(straightRun.result.evaluation);
      const manifest = (dir: string) => JSON.parse(fs.readFileSync(
        path.join(dir, 'checkpoints', 'step-00000004', 'manifest.json'), 'utf8')).files;
      expect(manifest(resumed)).toEqual(manifest(straight));
    });

  /** A copy of the finished run to damage. */
  function copyOfStraight(name: string): { dir: string; checkpoint: string } {
    const dir = path.join(scratch, name);
    fs.cpSync(straight, dir, { recursive: true });
    return { dir, checkpoint: path.join(dir, 'checkpoints', 'step-00000004') };
  }

  /** Flips one byte of a file, as a bad disk or a careless copy might. */
  function flipByte(file: string): void {
    const bytes = fs.readFileSync(file);
    bytes[100] ^= 0xff;
    fs.writeFileSync(file, bytes);
  }

  it('should resume from step 2, reporting the checksum mismatch, when one byte of step 4\'s '
    + 'weights.bin is flipped', async () => {
    const { dir, checkpoint } = copyOfStraight('flipped');
    const file = path.join(checkpoint, 'weights.bin');
    flipByte(file);
    const second = await trainCollecting(tiny(), { runDir: dir, resume: true });
    expect(second.events.filter((event) => event.type === 'resume')).toEqual([{
      type: 'resume', checkpoint: path.join(dir, 'checkpoints', 'step-00000002'), step: 2,
      damaged: [{ checkpoint, problem: `${file}: checksum mismatch; the file is corrupt` }],
    }]);
    expect(second.logs.map((record) => record.step)).toEqual([4]);
    expect(readJsonLines<MetricRecord>(dir, 'metrics.jsonl').map(withoutTiming))
      .toEqual(straightRun.logs.map(withoutTiming));
    expect(second.result.evaluation).toEqual(straightRun.result.evaluation);
    expect(latestCheckpoint(dir)).toBe(checkpoint);
  });

  it('should throw CheckpointError naming both files when both checkpoints are flipped',
    async () => {
      const { dir, checkpoint } = copyOfStraight('flipped-both');
      const older = path.join(dir, 'checkpoints', 'step-00000002', 'optimizer.bin');
      flipByte(path.join(checkpoint, 'weights.bin'));
      flipByte(older);
      const attempt = train(tiny(), { runDir: dir, resume: true, finalEval: false });
      await expect(attempt).rejects.toThrow(CheckpointError);
      await expect(attempt).rejects.toThrow(`${dir}: no checkpoint to resume from verifies:\n`
        + `  ${checkpoint}/weights.bin: checksum mismatch; the file is corrupt\n`
        + `  ${older}: checksum mismatch; the file is corrupt\n`);
    });

  it('should throw CheckpointError naming the file when a checkpoint file is damaged', () => {
    const { dir, checkpoint } = copyOfStraight('damaged');
    const model = createLatentModel(tiny(), 256);
    const params = namedParams(model.decoder.params);
    const optimizerFile = path.join(checkpoint, 'optimizer.bin');
    fs.truncateSync(optimizerFile, 40);
    expect(() => loadCheckpoint(checkpoint, params))
      .toThrow(`${optimizerFile}: 40 bytes, the manifest says`);
    fs.rmSync(path.join(checkpoint, 'state.json'));
    fs.writeFileSync(path.join(checkpoint, 'manifest.json'), '{"format": ');
    expect(() => loadCheckpoint(checkpoint, params))
      .toThrow(`${path.join(checkpoint, 'manifest.json')}: missing or not valid JSON`);
    fs.writeFileSync(path.join(dir, 'latest.json'), '{"checkpoint": "../elsewhere"}');
    expect(() => latestCheckpoint(dir)).toThrow(CheckpointError);
    expect(() => latestCheckpoint(dir)).toThrow(/latest\.json: 'checkpoint' must name/);
    disposeDecoder(model.decoder);
  });

  it('should throw CheckpointError when the checkpoint is from a different architecture',
    async () => {
      const { dir, checkpoint } = copyOfStraight('wider');
      const wider = tiny(['model.width=32']);
      await expect(train(wider, { runDir: dir, resume: true })).rejects.toThrow(
        /weight 'embedding' is \[256, 16\], the model needs \[256, 32\]; .*different architecture/);
      // Embedding, 9 weights per block, 5 of cross-attention per block, the final gain.
      const autoregressive = createLatentModel(tiny(['latents.enabled=false']), 256);
      expect(() => loadCheckpoint(checkpoint, namedParams(autoregressive.decoder.params)))
        .toThrow(/16 weights, the model has 11; the checkpoint is from a different architecture/);
      disposeDecoder(autoregressive.decoder);
    });
});
