import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import {
  averageScores,
  entropyBits,
  judgeFor,
  scoreAnswers,
  selectAnswer,
} from '../../src/sampling/diversity.js';
import { createFamily } from '../../src/tasks/registry.js';

const digits = (text: string) => [...text].map(Number);

// The 4x4 puzzle with rows 1-2 given has four completions A, B, C, D (see the task tests).
const sudoku4 = createFamily('sudoku4');
const sudokuPuzzle = sudoku4.parse('12343412........');
const sudokuJudge = judgeFor(sudoku4, sudokuPuzzle);
const A = digits('1234341221434321');
const B = digits('1234341223414123');
const sudokuSolutions = sudoku4.solutions(sudokuPuzzle).answers;
// A with its last cell changed: row 4 repeats a 2, so it is invalid, one cell from A.
const X = digits('1234341221434322');

// The path 0-1-2 has two colourings up to renaming: 010 and 012.
const colouring = createFamily('colouring');
const pathPuzzle = colouring.parse('3:0-1,1-2');
const pathJudge = judgeFor(colouring, pathPuzzle);
const pathSolutions = colouring.solutions(pathPuzzle).answers;

describe('scoreAnswers on a 4x4 Sudoku', () => {
  const scores = scoreAnswers(sudokuJudge, {
    solutions: sudokuSolutions,
    samples: [A, A, B, X],
    target: B,
  });

  it('should count validity and coverage when two of four completions are sampled', () => {
    expect(scores.samples).toBe(4);
    expect(scores.solutionCount).toBe(4);
    expect(scores.validRate).toBe(0.75);
    expect(scores.anyValid).toBe(1);
    expect(scores.distinctValid).toBe(2);
    expect(scores.coverage).toBe(0.5);
  });

  it('should pin distance and entropy when samples repeat', () => {
    // Pairs: AA 0, AB 4, AX 1, AB 4, AX 1, BX 4 -> 14 / 6.
    expect(scores.meanPairwiseHamming).toBeCloseTo(14 / 6, 12);
    // Keys A, A, B, X: p = 1/2, 1/4, 1/4.
    expect(scores.entropyBits).toBeCloseTo(1.5, 12);
  });

  it('should keep cell and exact accuracy apart when one sample is one cell off', () => {
    // A, A, B match a completion fully; X matches A on 15 of 16 cells.
    expect(scores.bestCellAccuracy).toBe(63 / 64);
    expect(scores.exactAccuracy).toBe(0.75);
    // Against target B: A matches 12 cells, B 16, X 12.
    expect(scores.targetCellAccuracy).toBe(0.8125);
    expect(scores.targetExactAccuracy).toBe(0.25);
  });

  it('should give null target scores and zero distance when there is no target and S = 1', () => {
    const single = scoreAnswers(sudokuJudge, { solutions: sudokuSolutions, samples: [B] });
    expect(single.targetCellAccuracy).toBeNull();
    expect(single.targetExactAccuracy).toBeNull();
    expect(single.meanPairwiseHamming).toBe(0);
    expect(single.entropyBits).toBe(0);
    expect(single.coverage).toBe(0.25);
  });

  it('should score zero validity and coverage when every sample is invalid', () => {
    const bad = scoreAnswers(sudokuJudge, { solutions: sudokuSolutions, samples: [X, X] });
    expect([bad.validRate, bad.anyValid, bad.distinctValid, bad.coverage]).toEqual([0, 0, 0, 0]);
    expect(bad.exactAccuracy).toBe(0);
    expect(bad.bestCellAccuracy).toBe(15 / 16);
  });
});

describe('scoreAnswers on a colouring', () => {
  const scores = scoreAnswers(pathJudge, {
    solutions: pathSolutions,
    samples: [[0, 1, 0], [1, 0, 1], [2, 0, 1], [0, 0, 1]],
  });

  it('should merge renamed colourings when counting distinct answers', () => {
    expect(scores.validRate).toBe(0.75);
    expect(scores.distinctValid).toBe(2);
    expect(scores.coverage).toBe(1);
    // Canonical keys 010, 010, 012, 001.
    expect(scores.entropyBits).toBeCloseTo(1.5, 12);
  });

  it('should measure distances under the best renaming', () => {
    // 010~101 is 0 apart; every other pair is 1 apart: 5 / 6.
    expect(scores.meanPairwiseHamming).toBeCloseTo(5 / 6, 12);
    // The invalid 001 matches either class on 2 of 3 nodes.
    expect(scores.bestCellAccuracy).toBeCloseTo(11 / 12, 12);
    expect(scores.exactAccuracy).toBe(0.75);
  });
});

describe('averageScores', () => {
  it('should average each score and skip missing target scores', () => {
    const withTarget = scoreAnswers(sudokuJudge, {
      solutions: sudokuSolutions,
      samples: [A, A, B, X],
      target: B,
    });
    const withoutTarget = scoreAnswers(pathJudge, {
      solutions: pathSolutions,
      samples: [[0, 1, 0], [1, 0, 1], [2, 0, 1], [0, 0, 1]],
    });
    const mean = averageScores([withTarget, withoutTarget]);
    expect(mean.inputs).toBe(2);
    expect(mean.coverage).toBe(0.75);
    expect(mean.solutionCount).toBe(3);
    expect(mean.validRate).toBe(0.75);
    expect(mean.targetCellAccuracy).toBe(0.8125);
    expect(mean.targetExactAccuracy).toBe(0.25);
    expect(averageScores([withoutTarget]).targetCellAccuracy).toBeNull();
  });

  it('should throw DataError when there is nothing to average or score', () => {
    expect(() => averageScores([])).toThrow(DataError);
    expect(() => scoreAnswers(sudokuJudge, { solutions: sudokuSolutions, samples: [] })).toThrow(
      'no samples',
    );
    expect(() => scoreAnswers(sudokuJudge, { solutions: [], samples: [A] })).toThrow(
      'empty solution set',
    );
  });
});

describe('selectAnswer', () => {
  it('should pick the first valid sample when the rule is first-valid', () => {
    const picked = selectAnswer(sudokuJudge, [X, B, A, A], 'first-valid');
    expect([picked.index, picked.valid, picked.votes]).toEqual([1, true, 1]);
    expect(picked.answer).toEqual(B);
  });

  it('should fall back to the first sample when none is valid', () => {
    const picked = selectAnswer(sudokuJudge, [X, X], 'first-valid');
    expect([picked.index, picked.valid, picked.votes]).toEqual([0, false, 2]);
  });

  it('should pick the most frequent answer when the rule is vote', () => {
    const picked = selectAnswer(sudokuJudge, [X, B, A, A], 'vote');
    expect([picked.index, picked.valid, picked.votes]).toEqual([2, true, 2]);
  });

  it('should break a tie by first appearance, valid or not, when voting', () => {
    const picked = selectAnswer(sudokuJudge, [X, B], 'vote');
    expect([picked.index, picked.valid, picked.votes]).toEqual([0, false, 1]);
  });

  it('should count renamed colourings as one answer when voting', () => {
    const picked = selectAnswer(pathJudge, [[0, 1, 2], [1, 0, 1], [2, 1, 2]], 'vote');
    expect([picked.index, picked.votes]).toEqual([1, 2]);
  });
});

describe('entropyBits', () => {
  it('should be log2 of the count when keys are all different', () => {
    expect(entropyBits(['a', 'b', 'c', 'd'])).toBe(2);
    expect(entropyBits(['a', 'a', 'a'])).toBe(0);
  });
});
