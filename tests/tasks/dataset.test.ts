import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../src/errors.js';
import { createRng } from '../../src/random.js';
import { buildDataset, splitByInput } from '../../src/tasks/dataset.js';
import type { PuzzleExample } from '../../src/tasks/example.js';
import type { PuzzleFamily } from '../../src/tasks/family.js';
import { checkFamilyName, createFamily } from '../../src/tasks/registry.js';
import { sampleTarget, sampleTokenBatch } from '../../src/tasks/targets.js';

const families = {
  sudoku4: createFamily('sudoku4'),
  colouring: createFamily('colouring'),
  queens8: createFamily('queens8'),
};

describe('buildDataset', () => {
  it('should give the same dataset when the seed is the same', () => {
    const first = buildDataset(families.sudoku4, { count: 200, seed: 42 });
    const second = buildDataset(families.sudoku4, { count: 200, seed: 42 });
    const other = buildDataset(families.sudoku4, { count: 200, seed: 43 });
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(other.train.map((e) => e.text)).not.toEqual(first.train.map((e) => e.text));
  });

  it('should split distinct inputs 80/10/10 with no input in two splits', () => {
    const dataset = buildDataset(families.sudoku4, { count: 200, seed: 1 });
    expect([dataset.train.length, dataset.valid.length, dataset.test.length]).toEqual([
      160, 20, 20,
    ]);
    const train = new Set(dataset.train.map((e) => e.text));
    const held = [...dataset.valid, ...dataset.test].map((e) => e.text);
    expect(held.filter((text) => train.has(text))).toEqual([]);
    expect(new Set([...train, ...held]).size).toBe(200);
  });

  it('should respect custom fractions when they add up to 1', () => {
    const fractions = { train: 0.5, valid: 0, test: 0.5 };
    const dataset = buildDataset(families.colouring, { count: 30, seed: 'c', fractions });
    expect([dataset.train.length, dataset.valid.length, dataset.test.length]).toEqual([
      15, 0, 15,
    ]);
  });

  it('should keep sudoku4 puzzles within the default clue and completion ranges', () => {
    const dataset = buildDataset(families.sudoku4, { count: 300, seed: 9 });
    for (const example of [...dataset.train, ...dataset.valid, ...dataset.test]) {
      const clues = example.puzzle.cells.filter((d) => d !== 0).length;
      expect(clues).toBeGreaterThanOrEqual(4);
      expect(clues).toBeLessThanOrEqual(6);
      expect(example.solutions.length).toBeGreaterThanOrEqual(2);
      expect(example.solutions.length).toBeLessThanOrEqual(6);
      expect(example.complete).toBe(true);
    }
  });

  it('should throw DataError when fewer distinct inputs exist than asked for', () => {
    // With no queen removed, the only inputs are the 92 full boards.
    const family = createFamily('queens8', { minRemoved: 0, maxRemoved: 0 });
    expect(() => buildDataset(family, { count: 100, seed: 1 })).toThrow(
      /only 92 distinct puzzles in 3000 draws, 100 asked/,
    );
  });

  it('should throw ConfigError when fractions are off or the family cannot generate', () => {
    const fractions = { train: 0.5, valid: 0.5, test: 0.5 };
    expect(() => buildDataset(families.sudoku4, { count: 10, seed: 1, fractions })).toThrow(
      /add up to 1.5; make them add up to 1/,
    );
    expect(() => buildDataset(createFamily('sudoku9'), { count: 10, seed: 1 })).toThrow(
      ConfigError,
    );
    expect(() => buildDataset(families.sudoku4, { count: 0, seed: 1 })).toThrow(ConfigError);
  });
});

describe('training targets', () => {
  for (const [name, family] of Object.entries(families) as [string, PuzzleFamily<unknown>][]) {
    it(`should draw only valid targets when the ${name} dataset seed is any integer`, () => {
      fc.assert(
        fc.property(fc.integer(), (seed) => {
          const dataset = buildDataset(family, { count: 12, seed });
          const rng = createRng(seed);
          for (const example of dataset.train) {
            const target = sampleTarget(example, rng);
            expect(family.isValid(example.puzzle, target)).toBe(true);
          }
        }),
        { numRuns: 15, seed: 2 },
      );
    });
  }

  it('should draw every completion about equally often when sampling targets', () => {
    const example = {
      puzzle: null,
      text: 'four',
      solutions: [[1], [2], [3], [4]],
      complete: true,
    };
    const rng = createRng('uniform');
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[sampleTarget(example, rng)[0] - 1]++;
    for (const n of counts) expect(Math.abs(n - 1000)).toBeLessThan(100);
  });

  it('should build a batch of encoded pairs whose targets decode to valid answers', () => {
    const family = families.colouring;
    const { train } = buildDataset(family, { count: 40, seed: 5 });
    const batch = sampleTokenBatch(family, train, 16, createRng(5));
    expect(batch.inputs).toHaveLength(16);
    batch.inputs.forEach((input, row) => {
      expect(input).toHaveLength(family.inputLength);
      expect(batch.targets[row]).toHaveLength(family.outputLength);
      expect(Math.max(...batch.targets[row])).toBeLessThan(family.outputVocab);
      const example = train[batch.exampleIndices[row]];
      const answer = family.decodeAnswer(batch.targets[row], example.puzzle);
      expect(family.isValid(example.puzzle, answer)).toBe(true);
    });
  });

  it('should throw DataError when a batch is drawn from no examples', () => {
    expect(() => sampleTokenBatch(families.sudoku4, [], 4, createRng(1))).toThrow(DataError);
  });
});

describe('splitByInput', () => {
  it('should send repeated inputs to the same split', () => {
    const example = (text: string): PuzzleExample<null> => ({
      puzzle: null,
      text,
      solutions: [[0]],
      complete: true,
    });
    const examples = ['a', 'b', 'a', 'c', 'b', 'a', 'd', 'e'].map(example);
    const fractions = { train: 0.6, valid: 0.2, test: 0.2 };
    const splits = splitByInput(examples, fractions, createRng(4));
    const where = (text: string) =>
      (['train', 'valid', 'test'] as const).filter((s) =>
        splits[s].some((e) => e.text === text),
      );
    for (const text of ['a', 'b', 'c', 'd', 'e']) expect(where(text)).toHaveLength(1);
    expect(splits.train.length + splits.valid.length + splits.test.length).toBe(8);
  });
});

describe('family registry', () => {
  it('should build each named family with its token sizes', () => {
    const sizes = (['sudoku4', 'sudoku9', 'colouring', 'queens8'] as const).map((name) => {
      const family = createFamily(name);
      return [family.name, family.inputLength, family.outputLength, family.inputVocab];
    });
    expect(sizes).toEqual([
      ['sudoku4', 16, 16, 5],
      ['sudoku9', 81, 81, 10],
      ['colouring', 28, 8, 3],
      ['queens8', 64, 64, 2],
    ]);
    expect(createFamily('colouring', { minNodes: 6, maxNodes: 7 }).inputLength).toBe(21);
  });

  it('should throw ConfigError listing the names when a family is unknown', () => {
    expect(() => checkFamilyName('sudoku16')).toThrow(
      "unknown puzzle family 'sudoku16'; use one of sudoku4, sudoku9, colouring, queens8",
    );
  });
});
