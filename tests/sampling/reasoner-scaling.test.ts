// Width and depth scores of a tiny trained reasoner: the laws the curves must obey, their
// agreement with separate rollouts, the file the report reads, and the baseline's checks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { loadConfig } from '../../src/config/index.js';
import { DataError } from '../../src/errors.js';
import { readReasonScaling, writeReasonScaling } from '../../src/report/index.js';
import {
  reasonerScaling, reasonOverSplit, type ReasonerRun, type ReasonerScaling,
} from '../../src/sampling/index.js';
import { trainReasoner } from '../../src/train/reasoner/index.js';

// The committed config, shrunk to a few steps on a few puzzles; a wide initial noise keeps
// the trajectories of a barely trained model apart.
const shrink = ['puzzles.count=120', 'reasoner.width=16', 'reasoner.headHidden=16',
  'reasoner.initSigma=1', 'train.steps=3', 'train.batchSize=8', 'train.evalEvery=0'];

async function tinyRun(extra: string[] = []): Promise<ReasonerRun> {
  const { config } = loadConfig('configs/sudoku4-gram.json', [...shrink, ...extra]);
  const result = await trainReasoner(config, { runDir: null, finalEval: false });
  return result.run;
}

let run: ReasonerRun;
let scaling: ReasonerScaling;
const options = { widths: [5, 1, 2, 2], depths: [3, 1, 2], samples: 5, inputs: 8 };

beforeAll(async () => {
  await initBackend('wasm');
  run = await tinyRun();
  scaling = reasonerScaling(run, options);
});

describe('reasonerScaling', () => {
  it('should sort the widths and depths and drop repeats when given out of order', () => {
    expect(scaling.width.map((point) => point.samples)).toEqual([1, 2, 5]);
    expect(scaling.depth.map((point) => point.rounds)).toEqual([1, 2, 3]);
    expect(scaling).toMatchObject({ task: 'sudoku4', split: 'test', puzzles: 8, step: 3,
      widthRounds: 3, depthSamples: 5 });
  });

  it('should never lose coverage or valid puzzles when S grows', () => {
    for (let i = 1; i < scaling.width.length; i++) {
      const [before, after] = [scaling.width[i - 1], scaling.width[i]];
      expect(after.coverage).toBeGreaterThanOrEqual(before.coverage);
      expect(after.anyValid).toBeGreaterThanOrEqual(before.anyValid);
      expect(after.distinctValid).toBeGreaterThanOrEqual(before.distinctValid);
    }
    // Distinct answers at S = 5 show that the trajectories differ at all.
    expect(scaling.width[2].entropyBits).toBeGreaterThan(0);
  });

  it('should match a rollout of S on its own when a width is a prefix of the largest', () => {
    const alone = reasonOverSplit(run, { samples: 2, depth: 3, inputs: 8 }).means;
    const { samples: _, ...prefix } = scaling.width[1];
    expect(prefix).toEqual({ coverage: alone.coverage, validRate: alone.validRate,
      exactAccuracy: alone.exactAccuracy, anyValid: alone.anyValid,
      distinctValid: alone.distinctValid, bestCellAccuracy: alone.bestCellAccuracy,
      entropyBits: alone.entropyBits, meanPairwiseHamming: alone.meanPairwiseHamming });
  });

  it('should score each depth with its own rollout at the depth curve\'s width', () => {
    const shallow = reasonOverSplit(run, { samples: 5, depth: 1, inputs: 8 }).means;
    expect(scaling.depth[0].coverage).toBe(shallow.coverage);
    expect(scaling.depth[0].validRate).toBe(shallow.validRate);
    // Three rounds at S = 5 is the width curve's last point.
    const { rounds: _, ...deep } = scaling.depth[2];
    const { samples: __, ...wide } = scaling.width[2];
    expect(deep).toEqual(wide);
  });

  it('should give the same numbers when the seed is the same, and others for another', () => {
    const again = reasonerScaling(run, options);
    expect(again.width).toEqual(scaling.width);
    expect(again.depth).toEqual(scaling.depth);
    const other = reasonerScaling(run, { ...options, seed: 99 });
    expect(other.width.map((point) => point.bestCellAccuracy))
      .not.toEqual(scaling.width.map((point) => point.bestCellAccuracy));
  });

  it('should refuse an empty list and a width of 0 with the list named', () => {
    expect(() => reasonerScaling(run, { ...options, widths: [] }))
      .toThrow('reasoner scaling: widths [] must hold one or more whole numbers');
    expect(() => reasonerScaling(run, { ...options, depths: [2, 0] }))
      .toThrow(/depths \[2, 0\] must hold/);
  });
});

describe('reason-scaling.json', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reason-scaling-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('should be read back by the report with the same points when written', () => {
    const file = writeReasonScaling(dir, scaling);
    expect(file).toBe(path.join(dir, 'reason-scaling.json'));
    const read = readReasonScaling(dir)!;
    expect(read.width).toEqual(scaling.width);
    expect(read.depth).toEqual(scaling.depth);
    expect(read.split).toBe('test');
  });

  it('should refuse to write rates outside [0, 1] and leave no file', () => {
    const other = fs.mkdtempSync(path.join(dir, 'bad-'));
    const width = [{ ...scaling.width[0], coverage: 40 }];
    expect(() => writeReasonScaling(other, { ...scaling, width }))
      .toThrow(/width\[0\]\.coverage: 40 is not a fraction/);
    expect(fs.existsSync(path.join(other, 'reason-scaling.json'))).toBe(false);
  });
});

describe('reasonerScaling with a baseline', () => {
  it('should score the deterministic run once with one answer per puzzle', async () => {
    const baseline = await tinyRun(['reasoner.stochastic=false']);
    const result = reasonerScaling(run, { ...options, baseline });
    const alone = reasonOverSplit(baseline, { samples: 1, inputs: 8 }).means;
    expect(result.deterministic).toMatchObject({ rounds: 3, step: 3, runDir: null,
      coverage: alone.coverage, validRate: alone.validRate, anyValid: alone.anyValid });
    expect(result.width).toEqual(scaling.width);
  });

  it('should refuse a stochastic baseline and one trained on other puzzles', async () => {
    expect(() => reasonerScaling(run, { ...options, baseline: run }))
      .toThrow(/reasoner.stochastic is true; name a run trained with reasoner.stochastic/);
    const elsewhere = await tinyRun(['reasoner.stochastic=false', 'puzzles.seed=8']);
    expect(() => reasonerScaling(run, { ...options, baseline: elsewhere }))
      .toThrow(DataError);
    expect(() => reasonerScaling(run, { ...options, baseline: elsewhere }))
      .toThrow(/test split differs from that of the run \(puzzle 0\)/);
  });
});
