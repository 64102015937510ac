// Training the reasoner: a step keeps the tensor count, the loss falls on a tiny config, the
// same seed gives the same numbers, checkpoints restore identical samples and resume exactly,
// past a damaged one too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../src/backend/index.js';
import { resolveConfig, type Config } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors.js';
import { deriveRng } from '../../src/random.js';
import {
  blankExample, generateUnconditional, namedReasonerParams, reasonOnPuzzles, reasonOverSplit,
  sampleAnswerTokens,
} from '../../src/sampling/index.js';
import { createAdamWState, disposeAdamWState } from '../../src/train/adamw.js';
import {
  createReasonerRun, disposeBatch, drawReasonerBatch, loadReasonerRun, reasonerTrainStep,
  trainReasoner, type ReasonerMetricRecord, type ReasonerTrainEvent, type SplitSummary,
} from '../../src/train/reasoner/index.js';
import { readJsonLines } from '../../src/train/run-folder.js';

const folders: string[] = [];

beforeAll(async () => {
  await initBackend('wasm');
});

afterAll(() => {
  for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
});

function tempFolder(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'reasoner-'));
  folders.push(folder);
  return folder;
}

function tinyConfig(overrides: { reasoner?: object; train?: object; puzzles?: object } = {}):
  Config {
  return resolveConfig({
    kind: 'reasoner',
    backend: 'wasm',
    puzzles: { family: 'sudoku4', count: 60, ...overrides.puzzles },
    reasoner: { width: 16, headHidden: 16, evalSamples: 4, evalInputs: 4,
      ...overrides.reasoner },
    train: { steps: 4, batchSize: 16, lr: 0.003, warmupSteps: 0, logEvery: 1,
      checkpointEvery: 2, ...overrides.train },
  });
}

describe('drawReasonerBatch', () => {
  it('should blank every input and target a full grid when blankInputShare is 1', () => {
    const run = createReasonerRun(tinyConfig());
    const blank = blankExample(run.family);
    const source = { family: run.family, layout: run.model.layout,
      examples: run.dataset.train, blank, blankShare: 1 };
    const batch = drawReasonerBatch(source, 6, deriveRng(3, 'batches'));
    expect(Math.max(...Array.from(batch.tokens.dataSync()))).toBe(0);
    const targets = batch.targets.arraySync() as number[];
    for (let row = 0; row < 6; row++) {
      const digits = targets.slice(row * 16, (row + 1) * 16).map((token) => token + 1);
      expect(run.family.isValid(blank.puzzle, digits)).toBe(true);
    }
    disposeBatch(batch);
  });

  it('should draw colouring rows on their own layout when the family is colouring', () => {
    const run = createReasonerRun(tinyConfig({ puzzles: { family: 'colouring',
      maxSolutions: 8 } }));
    const source = { family: run.family, layout: run.model.layout,
      examples: run.dataset.train, blank: null, blankShare: 0 };
    const batch = drawReasonerBatch(source, 4, deriveRng(3, 'batches'));
    expect(batch.tokens.shape).toEqual([4, 21 + 7]);
    expect(batch.targets.shape).toEqual([4 * 7]);
    // The posterior sees "no answer here" (outputVocab 3) on the 21 node-pair positions.
    const answers = batch.answers.arraySync() as number[][];
    expect(answers[0].slice(0, 21)).toEqual(new Array(21).fill(3));
    disposeBatch(batch);
  });
});

describe('reasonerTrainStep', () => {
  it('should leave the tensor count unchanged when a step follows a warm-up step', () => {
    const config = tinyConfig();
    const run = createReasonerRun(config);
    const source = { family: run.family, layout: run.model.layout,
      examples: run.dataset.train, blank: null, blankShare: 0 };
    const optimizer = createAdamWState();
    const batchRng = deriveRng(1, 'batches');
    const noiseRng = deriveRng(1, 'noise');
    const step = () => {
      const batch = drawReasonerBatch(source, 8, batchRng);
      reasonerTrainStep(run.model, optimizer, config, batch, noiseRng, 1e-3);
      disposeBatch(batch);
    };
    step();
    const before = tf.memory().numTensors;
    step();
    step();
    expect(tf.memory().numTensors).toBe(before);
    disposeAdamWState(optimizer);
  });
});

describe('trainReasoner', () => {
  it('should lower the cross-entropy over 50 steps when the config is tiny', async () => {
    const losses: number[] = [];
    await trainReasoner(tinyConfig({ train: { steps: 50, checkpointEvery: 0 } }), {
      runDir: null, finalEval: false,
      onEvent: (event) => {
        if (event.type === 'step') losses.push(event.metrics.meanCrossEntropy);
      },
    });
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    // Four answer digits: an untrained readout sits near ln 4 = 1.39 nats per cell.
    expect(mean(losses.slice(0, 5))).toBeGreaterThan(1.2);
    expect(mean(losses.slice(-5))).toBeLessThan(mean(losses.slice(0, 5)) - 0.3);
  });

  it('should repeat every number when the config and seed are the same', async () => {
    const trace = async () => {
      const values: number[] = [];
      await trainReasoner(tinyConfig({ train: { steps: 3 } }), { runDir: null,
        finalEval: false, onEvent: (event) => {
          if (event.type === 'step') values.push(event.metrics.loss, event.metrics.kl);
        } });
      return values;
    };
    const first = await trace();
    expect(first.every((value) => Number.isFinite(value))).toBe(true);
    expect(await trace()).toEqual(first);
  });

  it.each([['colouring', 8], ['queens8', 18]])(
    'should train and score prior rollouts when the family is %s', async (family, most) => {
      const { run, evaluation } = await trainReasoner(tinyConfig({ train: { steps: 2 },
        puzzles: { family, maxSolutions: most, count: 30 } }), { runDir: null });
      expect(run.family.name).toBe(family);
      expect(evaluation?.means.inputs).toBe(3);
      expect(Object.keys(evaluation?.coverageAt ?? {})).toEqual(['1', '4']);
    });

  it('should refuse a config whose kind is not reasoner', async () => {
    const config = { ...tinyConfig(), kind: 'ltm' as const };
    await expect(trainReasoner(config, { runDir: null })).rejects.toThrow(ConfigError);
  });
});

describe('reasoner run folders', () => {
  it('should restore identical samples when a run is loaded from its checkpoint', async () => {
    const runDir = tempFolder();
    const events: ReasonerTrainEvent['type'][] = [];
    const result = await trainReasoner(tinyConfig(), { runDir,
      onEvent: (event) => events.push(event.type) });
    expect(events).toEqual(expect.arrayContaining(['start', 'step', 'log', 'checkpoint',
      'eval']));
    for (const file of ['config.json', 'meta.json', 'metrics.jsonl', 'summary.json',
      'eval-valid.json', 'latest.json']) {
      expect(fs.existsSync(path.join(runDir, file))).toBe(true);
    }
    const loaded = await loadReasonerRun(runDir);
    expect(loaded.step).toBe(4);
    const inputs = [new Array(16).fill(0)];
    const options = { samples: 5, rounds: 3, seed: 8 };
    expect(sampleAnswerTokens(loaded.model, inputs, options))
      .toEqual(sampleAnswerTokens(result.run.model, inputs, options));
  });

  it('should end with the same weights when a run is stopped and resumed', async () => {
    const straight = await trainReasoner(tinyConfig(), { runDir: tempFolder(),
      finalEval: false });
    const runDir = tempFolder();
    let steps = 0;
    await trainReasoner(tinyConfig(), { runDir, finalEval: false,
      onEvent: (event) => { if (event.type === 'step') steps = event.step; },
      shouldStop: () => steps >= 2 });
    const resumed = await trainReasoner(tinyConfig(), { runDir, resume: true,
      finalEval: false });
    expect(resumed.steps).toBe(4);
    const weights = (params: typeof straight.run.model.params) =>
      namedReasonerParams(params).map(([, v]) => Array.from(v.dataSync()));
    expect(weights(resumed.run.model.params)).toEqual(weights(straight.run.model.params));
  });
});

describe('resuming a reasoner run past a damaged checkpoint', () => {
  const metricLines = (dir: string) => readJsonLines<ReasonerMetricRecord>(dir, 'metrics.jsonl')
    .map(({ elapsedSeconds: _elapsed, stepsPerSecond: _speed, ...rest }) => rest);

  it('should report the damage, go on from step 2 and end with the same weights, metrics and '
    + 'scores when step 4\'s weights.bin is truncated', async () => {
    const straightDir = tempFolder();
    const straight = await trainReasoner(tinyConfig(), { runDir: straightDir });
    const runDir = tempFolder();
    fs.cpSync(straightDir, runDir, { recursive: true });
    const weightsFile = path.join(runDir, 'checkpoints', 'step-00000004', 'weights.bin');
    fs.truncateSync(weightsFile, 12);

    const events: ReasonerTrainEvent[] = [];
    const resumed = await trainReasoner(tinyConfig(), { runDir, resume: true,
      onEvent: (event) => events.push(event) });
    expect(events.filter((event) => event.type === 'resume')).toMatchObject([{
      step: 2, checkpoint: path.join(runDir, 'checkpoints', 'step-00000002'),
      damaged: [{ checkpoint: path.dirname(weightsFile),
        problem: expect.stringContaining(`${weightsFile}: 12 bytes, the manifest says`) }],
    }]);
    const weights = (params: typeof straight.run.model.params) =>
      namedReasonerParams(params).map(([, v]) => Array.from(v.dataSync()));
    expect(weights(resumed.run.model.params)).toEqual(weights(straight.run.model.params));
    expect(metricLines(runDir)).toEqual(metricLines(straightDir));
    const scores = (summary: SplitSummary | null) => ({ ...summary, seconds: 0 });
    expect(scores(resumed.evaluation)).toEqual(scores(straight.evaluation));
    expect((await loadReasonerRun(runDir)).step).toBe(4);
  });
});

describe('scoring a trained run', () => {
  it('should report coverage at each S up to the samples drawn', async () => {
    const { run } = await trainReasoner(tinyConfig(), { runDir: null, finalEval: false });
    const report = reasonOverSplit(run, { split: 'valid', samples: 5, inputs: 3 });
    expect(report.rows).toHaveLength(3);
    expect(Object.keys(report.coverageAt).map(Number)).toEqual([1, 5]);
    expect(report.coverageAt[5]).toBe(report.means.coverage);
    expect(report.means.samples).toBe(5);
    const answers = reasonOnPuzzles(run, ['12343412........'], 6)[0];
    expect(answers.solutionCount).toBe(4);
    expect(answers.answers.reduce((n, a) => n + a.count, 0)).toBe(6);
    const blank = generateUnconditional(run, 4);
    expect(blank.solutionCount).toBe(288);
    expect(blank.samples).toBe(4);
  });
});
