import { beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/index.js';
import { DataError } from '../../src/errors.js';
import { createRng } from '../../src/random.js';
import { describeCorpus } from '../../src/data/describe.js';
import { sampleDirichlet, sampleLogGamma } from '../../src/data/dirichlet.js';
import {
  createHiddenTopicCorpus, type HiddenTopicCorpus, sampleTables,
} from '../../src/data/hiddenTopic.js';
import { loadCorpus } from '../../src/data/load.js';

const data: Config['data'] = {
  kind: 'hidden-topic', path: '', jsonlField: 'text', tokenizer: 'bytes', trainUntilYear: 1980,
  validUntilYear: 2000, validFraction: 0.1, topics: 16, alphabet: 32, concentration: 0.1,
  tableSeed: 12345, heldOutSequences: 512, depth: 3, vocab: 8, rules: 2, branching: 2,
  rulesSeed: 2024, trainSequences: 0,
};

/** Digamma by recurrence up to 6, then its asymptotic series. */
function digamma(x: number): number {
  let shift = 0;
  for (; x < 6; x++) shift -= 1 / x;
  const inverse = 1 / (x * x);
  return shift + Math.log(x) - 0.5 / x
    - inverse * (1 / 12 - inverse * (1 / 120 - inverse / 252));
}

describe('gamma and Dirichlet draws', () => {
  it('should have mean and variance equal to the shape when drawn many times', () => {
    for (const shape of [0.1, 0.7, 2.5]) {
      const rng = createRng(`gamma-${shape}`);
      const draws = Array.from({ length: 40_000 }, () => Math.exp(sampleLogGamma(shape, rng)));
      const mean = draws.reduce((sum, x) => sum + x, 0) / draws.length;
      const variance = draws.reduce((sum, x) => sum + (x - mean) ** 2, 0) / draws.length;
      expect(Math.abs(mean / shape - 1)).toBeLessThan(0.04);
      expect(Math.abs(variance / shape - 1)).toBeLessThan(0.12);
    }
  });

  it('should give probability vectors when the concentration is tiny', () => {
    const row = sampleDirichlet(32, 0.01, createRng(1));
    expect(row.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 12);
    expect(row.every((p) => p >= 0)).toBe(true);
    expect(Math.max(...row)).toBeGreaterThan(0.5);
  });
});

describe('the hidden-topic tables', () => {
  it('should make rows that each sum to 1 when drawn from a seed', () => {
    const tables = sampleTables(16, 32, 0.1, 12345);
    expect(tables).toHaveLength(16 * 32 * 32);
    for (let row = 0; row < 16 * 32; row++) {
      const entries = tables.subarray(row * 32, (row + 1) * 32);
      expect(entries.every((p) => p >= 0)).toBe(true);
      expect(entries.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 12);
    }
  });

  it('should give the same tables for the same seed and other tables for another', () => {
    expect(sampleTables(4, 8, 0.1, 7)).toEqual(sampleTables(4, 8, 0.1, 7));
    expect(sampleTables(4, 8, 0.1, 7)).not.toEqual(sampleTables(4, 8, 0.1, 8));
  });

  it('should match the Dirichlet expected row entropy when alpha is 0.1 over 32 symbols', () => {
    const tables = sampleTables(16, 32, 0.1, 12345);
    let total = 0;
    for (let row = 0; row < 16 * 32; row++) {
      for (const p of tables.subarray(row * 32, (row + 1) * 32)) {
        if (p > 0) total -= p * Math.log(p);
      }
    }
    const expectedNats = digamma(32 * 0.1 + 1) - digamma(0.1 + 1);
    expect(expectedNats / Math.LN2).toBeCloseTo(2.50, 2);
    expect(Math.abs(total / (16 * 32) - expectedNats)).toBeLessThan(0.07);
  });
});

describe('the hidden-topic corpus', () => {
  let corpus: HiddenTopicCorpus;
  beforeAll(() => {
    corpus = createHiddenTopicCorpus(data, 64);
  });

  it('should describe itself as a generated corpus of 32 symbols when loaded', () => {
    const loaded = loadCorpus(data, 64);
    expect(loaded.kind).toBe('hidden-topic');
    expect(loaded.vocabSize).toBe(32);
    expect(loaded.summary.generated).toBe(true);
    expect(loaded.summary.valid).toEqual({ documents: 512, tokens: 512 * 65, bytes: 512 * 65 });
    expect(describeCorpus(loaded)).toContain('train: fresh sequences for every batch');
  });

  it('should give the same batch for the same seed and another for another seed', () => {
    const first = corpus.sampleTrainBatch(createRng(1), 8, 65);
    expect(first).toHaveLength(8 * 65);
    expect(first.every((token) => token >= 0 && token < 32)).toBe(true);
    expect(corpus.sampleTrainBatch(createRng(1), 8, 65)).toEqual(first);
    expect(corpus.sampleTrainBatch(createRng(2), 8, 65)).not.toEqual(first);
  });

  it('should label each sequence with the table that generated it', () => {
    const { tokens, labels, count, length } = corpus.heldOut('valid', 512, 65);
    expect(labels).toHaveLength(count);
    let recovered = 0;
    for (let row = 0; row < count; row++) {
      const logLikelihood = (k: number) => {
        let sum = 0;
        for (let t = 1; t < length; t++) {
          const from = tokens[row * length + t - 1];
          sum += Math.log(corpus.tables[(k * 32 + from) * 32 + tokens[row * length + t]]);
        }
        return sum;
      };
      const scores = Array.from({ length: 16 }, (_, k) => logLikelihood(k));
      expect(Number.isFinite(scores[labels![row]])).toBe(true);
      if (scores.indexOf(Math.max(...scores)) === labels![row]) recovered++;
    }
    expect(recovered / count).toBeGreaterThan(0.98);
  });

  it('should fix valid and test sets from the table seed and keep them apart', () => {
    const valid = corpus.heldOut('valid', 64, 65);
    expect(createHiddenTopicCorpus(data, 64).heldOut('valid', 64, 65)).toEqual(valid);
    expect(corpus.heldOut('test', 64, 65).tokens).not.toEqual(valid.tokens);
    expect(valid.bytes).toBe(64 * 64);
    expect(corpus.heldOut('valid', 10_000, 65).count).toBe(512);
  });

  it('should throw DataError when a held-out window has fewer than two tokens', () => {
    expect(() => corpus.heldOut('valid', 4, 1)).toThrow(DataError);
    expect(() => corpus.sampleTrainBatch(createRng(1), 0, 65)).toThrow(DataError);
  });

  it('should measure the held-out symbol entropy just under log2 32 when tables are sparse', () => {
    const entropy = corpus.unigramEntropyBitsPerByte('valid');
    expect(entropy).toBeLessThan(5);
    expect(entropy).toBeGreaterThan(4.9);
  });
});
