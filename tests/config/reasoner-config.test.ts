// The reasoner's config sections: defaults, cross-field checks, and the shipped pairs of
// configs that differ only in whether the reasoner is stochastic.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, resolveConfig } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors.js';

function problemsOf(partial: object): string[] {
  try {
    resolveConfig(partial);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('reasoner config defaults', () => {
  it('should keep kind ltm and fill the reasoner sections when nothing is given', () => {
    const config = resolveConfig({});
    expect(config.kind).toBe('ltm');
    expect(config.reasoner).toMatchObject({ width: 64, lowSteps: 2, transitions: 2,
      supervisionRounds: 3, stochastic: true, beta: 0.5, klBalance: 0.8, evalSamples: 20 });
    expect(config.puzzles).toMatchObject({ family: 'sudoku4', minSolutions: 2,
      maxSolutions: 6 });
  });
});

describe('reasoner cross-field checks', () => {
  it('should name both fields when minClues is above maxClues', () => {
    expect(problemsOf({ puzzles: { minClues: 7, maxClues: 5 } })).toEqual([
      'puzzles.minClues: 7 is above puzzles.maxClues (5); swap them or widen the range']);
  });

  it('should refuse held-out shares that leave nothing to train on', () => {
    expect(problemsOf({ puzzles: { validFraction: 0.5, testFraction: 0.5 } })[0])
      .toMatch(/^puzzles.testFraction: .* leaves nothing to train on/);
  });

  it('should refuse an initial sigma outside the log-sigma clamp', () => {
    expect(problemsOf({ reasoner: { initSigma: 10 } })[0]).toMatch(/^reasoner.initSigma: 10/);
    expect(problemsOf({ reasoner: { logSigmaMin: 2, logSigmaMax: 1 } })[0])
      .toMatch(/^reasoner.logSigmaMin: 2 must be below/);
  });

  it('should refuse a family without a generator', () => {
    expect(problemsOf({ puzzles: { family: 'sudoku9' } })[0]).toMatch(/^puzzles.family/);
  });
});

describe('shipped reasoner configs', () => {
  const folder = path.join(import.meta.dirname, '../../configs');
  const families = ['sudoku4', 'colouring', 'queens8'];

  it.each(families)('should differ only in reasoner.stochastic when %s comes as a pair',
    (family) => {
      const gram = loadConfig(path.join(folder, `${family}-gram.json`)).config;
      const baseline = loadConfig(path.join(folder, `${family}-deterministic.json`)).config;
      expect(gram.kind).toBe('reasoner');
      expect(gram.puzzles.family).toBe(family);
      expect(gram.reasoner.stochastic).toBe(true);
      expect(baseline.reasoner.stochastic).toBe(false);
      const strip = (config: typeof gram) => ({ ...config, description: '',
        reasoner: { ...config.reasoner, stochastic: null } });
      expect(strip(baseline)).toEqual(strip(gram));
    });

  it('should validate every reasoner config file when loaded', () => {
    const files = fs.readdirSync(folder).filter((file) => /-(gram|deterministic)\.json$/
      .test(file));
    expect(files.length).toBe(2 * families.length);
    for (const file of files) expect(() => loadConfig(path.join(folder, file))).not.toThrow();
  });
});
