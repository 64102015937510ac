// validateConfig: unknown keys, wrong types, values out of range and inconsistent fields
// are refused, each problem with its path; the input object is left as it was.
import { describe, expect, it } from 'vitest';
import { resolveConfig, validateConfig } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors.js';

/** The problems a ConfigError lists for `candidate`, or a failure if it validates. */
function problemsOf(candidate: unknown): { problems: string[]; message: string } {
  try {
    validateConfig(candidate, 'test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    return { problems, message };
  }
  throw new Error('expected a ConfigError');
}

describe('validateConfig', () => {
  it('should reject an unknown key with its path and a suggestion when it is misspelt', () => {
    const { problems, message } = problemsOf({ model: { widht: 64 } });
    expect(problems).toEqual(["model.widht: unknown key; did you mean 'width'?"]);
    expect(message).toContain('test.json: invalid config');
  });

  it('should reject an unknown top-level key when it is not in the schema', () => {
    expect(problemsOf({ optimiser: {} }).problems[0]).toMatch(/^optimiser: unknown key/);
  });

  it('should reject a wrong type with its path when a number is a string', () => {
    expect(problemsOf({ train: { lr: 'fast' } }).problems).toEqual(
      ['train.lr: must be number (got "fast")']);
  });

  it('should reject a fraction where an integer is required', () => {
    expect(problemsOf({ model: { layers: 1.5 } }).problems).toEqual(
      ['model.layers: must be integer (got 1.5)']);
  });

  it('should reject values out of range at both ends with their paths', () => {
    expect(problemsOf({ train: { steps: 0 } }).problems).toEqual(
      ['train.steps: must be >= 1 (got 0)']);
    expect(problemsOf({ latents: { perLayer: 1025 } }).problems).toEqual(
      ['latents.perLayer: must be <= 1024 (got 1025)']);
    expect(problemsOf({ vi: { innerLr: 0 } }).problems).toEqual(
      ['vi.innerLr: must be > 0 (got 0)']);
  });

  it('should reject an enum value and list the allowed ones', () => {
    expect(problemsOf({ vi: { optimizer: 'lbfgs' } }).problems).toEqual(
      ['vi.optimizer: must be one of "sgd", "adam", "rmsprop" (got "lbfgs")']);
  });

  it('should report every problem at once when there are several', () => {
    const { problems } = problemsOf({ train: { steps: 0, lr: 'x' }, data: { kind: 'csv' } });
    expect(problems).toHaveLength(3);
  });

  it('should reject a window larger than sequenceLength naming model.window', () => {
    expect(problemsOf({ model: { sequenceLength: 32, window: 33 } }).problems).toEqual([
      'model.window: 33 is larger than model.sequenceLength (32); use at most 32']);
  });

  it('should accept a window equal to sequenceLength', () => {
    expect(resolveConfig({ model: { sequenceLength: 32, window: 32 } }).model.window).toBe(32);
  });

  it('should suggest window lengths that fit a hierarchy sequence when it does not fit', () => {
    const window = (depth: number) => problemsOf({ data: { kind: 'hierarchy', depth,
      branching: 2 }, model: { sequenceLength: 16, window: 4 } }).problems;
    expect(window(5)).toEqual(['model.sequenceLength: 16 + 1 must be a multiple of 33 (a '
      + 'separator and 32 tokens per sequence); use 32 for one sequence per window or 65 for two']);
    // Two sequences of 4096 would pass the longest window allowed: only one is offered.
    expect(window(12)[0]).toMatch(/use 4096, one sequence per window$/);
  });

  it('should reject kind text without a path naming data.path', () => {
    expect(problemsOf({ data: { kind: 'text' } }).problems).toEqual(
      ["data.path: data.kind 'text' needs a path to a file or folder"]);
  });

  it('should reject heads that do not divide the width or give an odd head size', () => {
    expect(problemsOf({ model: { width: 30, heads: 4 } }).problems[0]).toMatch(
      /^model\.heads: 4 does not divide model\.width \(30\)/);
    expect(problemsOf({ model: { width: 24, heads: 8 } }).problems).toEqual([
      'model.heads: head size 3 must be even for rotary positions; change model.width or '
      + 'model.heads']);
  });

  it('should reject minLr above lr and an empty log-variance range', () => {
    expect(problemsOf({ train: { lr: 0.001, minLr: 0.01 } }).problems[0]).toMatch(/^train\.minLr/);
    expect(problemsOf({ latents: { logVarMin: 2, logVarMax: 2 } }).problems[0])
      .toMatch(/^latents\.logVarMin/);
  });

  it('should not change the object it is given when it fills defaults', () => {
    const candidate = { model: { width: 64 } };
    validateConfig(candidate, 'test.json');
    expect(candidate).toEqual({ model: { width: 64 } });
  });
});
