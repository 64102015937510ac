// The reasoner's sampling: seeded trajectory streams, S trajectories folded into the batch,
// the deterministic baseline, the state layout of each family, and solution counting.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../src/backend/index.js';
import { resolveConfig } from '../../src/config/index.js';
import type { Config } from '../../src/config/index.js';
import { DataError } from '../../src/errors.js';
import {
  blankExample, countPuzzleSolutions, createReasonerModel, familyOf, layoutOf,
  namedReasonerParams, priorNoise, reasonerParameterCount, sampleAnswerTokens, stateTokens,
  trajectoryNoise, trajectoryStreams, type ReasonerModel,
} from '../../src/sampling/index.js';
import { createFamily } from '../../src/tasks/index.js';

beforeAll(async () => {
  await initBackend('wasm');
});

function tinyConfig(reasoner: object = {}, puzzles: object = {}): Config {
  return resolveConfig({
    kind: 'reasoner',
    puzzles: { family: 'sudoku4', count: 40, ...puzzles },
    // A wide initial noise makes an untrained model's trajectories visibly differ.
    reasoner: { width: 16, headHidden: 16, initSigma: 1, ...reasoner },
  });
}

function modelFor(config: Config): ReasonerModel {
  return createReasonerModel(config, familyOf(config));
}

const sudoku4 = createFamily('sudoku4');
const puzzleInputs = ['12343412........', '1...............'].map((text) =>
  stateTokens(layoutOf(sudoku4), sudoku4.encodeInput(sudoku4.parse(text))));

describe('trajectoryNoise', () => {
  it('should repeat the same draws when the seed is the same', () => {
    const a = trajectoryNoise(trajectoryStreams(5, 3), 2, 4, 8);
    const b = trajectoryNoise(trajectoryStreams(5, 3), 2, 4, 8);
    expect(a.shape).toEqual([2 * 3 * 4, 8]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
  });

  it('should differ between seeds and between trajectories of one seed', () => {
    const a = trajectoryNoise(trajectoryStreams(5, 2), 1, 4, 8).arraySync() as number[][];
    const b = trajectoryNoise(trajectoryStreams(6, 2), 1, 4, 8).arraySync() as number[][];
    expect(a[0]).not.toEqual(b[0]);
    // Rows 0-3 belong to trajectory 0, rows 4-7 to trajectory 1.
    expect(a[0]).not.toEqual(a[4]);
  });

  it('should give every input of a batch the same draws for one trajectory', () => {
    const rows = trajectoryNoise(trajectoryStreams(9, 2), 3, 4, 8).arraySync() as number[][];
    // Input 1, trajectory 0 starts at row (1 * 2 + 0) * 4 = 8.
    expect(rows[8]).toEqual(rows[0]);
  });
});

describe('sampleAnswerTokens', () => {
  it('should give the same answers when the seed is the same', () => {
    const model = modelFor(tinyConfig());
    const options = { samples: 6, rounds: 2, seed: 11 };
    const first = sampleAnswerTokens(model, puzzleInputs, options);
    expect(sampleAnswerTokens(model, puzzleInputs, options)).toEqual(first);
    expect(first).toHaveLength(2);
    expect(first[0]).toHaveLength(6);
    expect(first[0][0]).toHaveLength(16);
  });

  it('should give different trajectories when the model is stochastic', () => {
    const model = modelFor(tinyConfig());
    const [answers] = sampleAnswerTokens(model, puzzleInputs, { samples: 8, rounds: 2, seed: 1 });
    expect(new Set(answers.map((row) => row.join(''))).size).toBeGreaterThan(1);
  });

  it('should give S identical trajectories when stochastic is false', () => {
    const model = modelFor(tinyConfig({ stochastic: false }));
    const [answers] = sampleAnswerTokens(model, puzzleInputs, { samples: 8, rounds: 2, seed: 1 });
    expect(new Set(answers.map((row) => row.join(''))).size).toBe(1);
  });

  it('should not depend on how inputs are chunked when maxRows changes', () => {
    const model = modelFor(tinyConfig());
    const options = { samples: 4, rounds: 1, seed: 3 };
    const together = sampleAnswerTokens(model, puzzleInputs, options);
    const apart = sampleAnswerTokens(model, puzzleInputs, { ...options, maxRows: 4 });
    expect(apart).toEqual(together);
  });

  it('should leave the tensor count unchanged when sampling again after a warm-up', () => {
    const model = modelFor(tinyConfig());
    const options = { samples: 3, rounds: 2, seed: 2 };
    sampleAnswerTokens(model, puzzleInputs, options);
    const before = tf.memory().numTensors;
    sampleAnswerTokens(model, puzzleInputs, options);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('should throw ShapeError naming the input when a row has the wrong length', () => {
    const model = modelFor(tinyConfig());
    expect(() => sampleAnswerTokens(model, [puzzleInputs[0], [1, 2]],
      { samples: 2, rounds: 1, seed: 1 })).toThrow(/input 1: expected shape \[16\] state/);
  });

  it('should throw DataError naming samples when S is 0', () => {
    const model = modelFor(tinyConfig());
    expect(() => sampleAnswerTokens(model, puzzleInputs, { samples: 0, rounds: 1, seed: 1 }))
      .toThrow(/samples is 0/);
    expect(() => sampleAnswerTokens(model, puzzleInputs, { samples: 0, rounds: 1, seed: 1 }))
      .toThrow(DataError);
  });
});

describe('reasoner parameters', () => {
  it('should drop the noise heads when stochastic is false', () => {
    const stochastic = modelFor(tinyConfig());
    const deterministic = modelFor(tinyConfig({ stochastic: false }));
    const names = (m: ReasonerModel) => namedReasonerParams(m.params).map(([name]) => name);
    expect(names(stochastic)).toContain('prior.mean');
    expect(names(deterministic)).not.toContain('prior.mean');
    expect(reasonerParameterCount(deterministic)).toBeLessThan(
      reasonerParameterCount(stochastic));
  });

  it('should draw the same weights when the seed is the same', () => {
    const a = namedReasonerParams(modelFor(tinyConfig()).params);
    const b = namedReasonerParams(modelFor(tinyConfig()).params);
    expect(Array.from(a[0][1].dataSync())).toEqual(Array.from(b[0][1].dataSync()));
  });

  it('should start the prior at zero mean and initSigma whatever its input', () => {
    const model = modelFor(tinyConfig({ initSigma: 0.1 }));
    const proposal = tf.randomNormal([5, 16], 0, 1, 'float32', 4) as tf.Tensor2D;
    const prior = priorNoise(model.params.guidance!.prior, proposal, model.recursion);
    expect(Math.max(...Array.from(prior.mu.abs().dataSync()))).toBe(0);
    const sigma = Array.from(prior.logVar.mul(0.5).exp().dataSync());
    for (const value of sigma) expect(value).toBeCloseTo(0.1, 6);
  });
});

describe('layoutOf', () => {
  it('should decode the input cells themselves when the answer fills the grid', () => {
    expect(layoutOf(sudoku4)).toMatchObject({ positions: 16, answerOffset: 0, inputVocab: 5 });
  });

  it('should append answer slots with their own marker when the family is colouring', () => {
    const colouring = createFamily('colouring', { minNodes: 6, maxNodes: 7 });
    const layout = layoutOf(colouring);
    expect(layout).toMatchObject({ positions: 21 + 7, answerOffset: 21, inputVocab: 4 });
    const tokens = stateTokens(layout, colouring.encodeInput(colouring.parse('3:0-1')));
    expect(tokens.slice(0, 3)).toEqual([1, 0, 2]);
    expect(tokens.slice(21)).toEqual(new Array(7).fill(3));
  });
});

describe('countPuzzleSolutions', () => {
  it('should count the four completions when two rows of a 4x4 grid are given', () => {
    expect(countPuzzleSolutions('sudoku4', '12343412........')).toEqual(
      { solutions: 4, complete: true });
  });

  it('should stop at the cap and say so when there are more answers than max', () => {
    expect(countPuzzleSolutions('sudoku4', '12343412........', 2)).toEqual(
      { solutions: 2, complete: false });
  });

  it('should count colourings up to renaming when the graph is a path', () => {
    expect(countPuzzleSolutions('colouring', '3:0-1,1-2').solutions).toBe(2);
  });

  it('should throw DataError naming the cell when the puzzle is malformed', () => {
    expect(() => countPuzzleSolutions('sudoku4', '12x4............')).toThrow(/cell 3/);
  });
});

describe('blankExample', () => {
  it('should have all 288 grids as answers when the family is sudoku4', () => {
    expect(blankExample(sudoku4).solutions).toHaveLength(288);
  });

  it('should have all 92 boards as answers when the family is queens8', () => {
    expect(blankExample(createFamily('queens8')).solutions).toHaveLength(92);
  });
});
