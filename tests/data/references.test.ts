import { beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/index.js';
import { DataError } from '../../src/errors.js';
import type { HeldOutSet } from '../../src/data/corpus.js';
import { createHiddenTopicCorpus, type HiddenTopicCorpus } from '../../src/data/hiddenTopic.js';
import { receptiveField } from '../../src/data/metrics.js';
import {
  type HiddenTopicReferences, hiddenTopicReferences,
} from '../../src/data/references.js';

const data: Config['data'] = {
  kind: 'hidden-topic', path: '', jsonlField: 'text', tokenizer: 'bytes', trainUntilYear: 1980,
  validUntilYear: 2000, validFraction: 0.1, topics: 16, alphabet: 32, concentration: 0.1,
  tableSeed: 12345, heldOutSequences: 512, depth: 3, vocab: 8, rules: 2, branching: 2,
  rulesSeed: 2024, trainSequences: 0,
};

/** A two-symbol corpus with hand-made deterministic tables, so every reference is exact. */
function handMade(tables: number[]): HiddenTopicCorpus {
  const base = createHiddenTopicCorpus({ ...data, topics: 2, alphabet: 2 }, 8);
  return { ...base, tables: Float64Array.from(tables) };
}

function set(rows: number[][], labels: number[]): HeldOutSet {
  const length = rows[0].length;
  return { tokens: Int32Array.from(rows.flat()), count: rows.length, length,
    bytes: rows.length * (length - 1), labels: Int32Array.from(labels) };
}

describe('hiddenTopicReferences on hand-made chains', () => {
  // Table 0 flips the symbol, table 1 keeps it.
  const flipOrKeep = handMade([0, 1, 1, 0, 1, 0, 0, 1]);
  const rows = set([[0, 1, 0, 1, 0], [1, 1, 1, 1, 1]], [0, 1]);

  it('should charge one bit for the first prediction only when the prefix shows the table', () => {
    const references = hiddenTopicReferences(flipOrKeep, rows, 1);
    expect(references.tableKnown).toBe(0);
    expect(references.fullContextBayes).toBeCloseTo(1 / 4, 12);
    expect(references.perPosition.fullContextBayes).toEqual(Float64Array.of(1, 0, 0, 0));
    expect(references.messageBitsPerSequence).toBe(1);
  });

  it('should charge a bit at every position when the window holds one token', () => {
    const references = hiddenTopicReferences(flipOrKeep, rows, 1);
    expect(references.windowedBayes).toBeCloseTo(1, 12);
    expect(references.previousToken).toBeCloseTo(1, 12);
    expect(hiddenTopicReferences(flipOrKeep, rows, 2).windowedBayes).toBeCloseTo(1 / 4, 12);
  });

  it('should use where a chain sits when the window start alone reveals the table', () => {
    // Table 0 always moves to 0, table 1 always to 1: from position 1 on, one symbol tells.
    const absorbing = handMade([1, 0, 1, 0, 0, 1, 0, 1]);
    const references = hiddenTopicReferences(absorbing, set([[1, 0, 0, 0, 0]], [0]), 1);
    expect(references.windowedBayes).toBeCloseTo(1 / 4, 12);
    expect(references.windowedBayesUniformStart).toBeCloseTo(1, 12);
  });

  it('should give the plug-in entropy of the scored tokens as the unigram', () => {
    const references = hiddenTopicReferences(flipOrKeep, set([[1, 0, 0, 0, 1]], [1]), 1);
    const expected = -(0.75 * Math.log2(0.75) + 0.25 * Math.log2(0.25));
    expect(references.unigram).toBeCloseTo(expected, 12);
  });

  it('should throw DataError when the set has no labels or the field is not positive', () => {
    const unlabelled = { ...rows, labels: undefined };
    expect(() => hiddenTopicReferences(flipOrKeep, unlabelled, 1)).toThrow(DataError);
    expect(() => hiddenTopicReferences(flipOrKeep, rows, 0)).toThrow(/receptiveField 0/);
  });
});

describe('hiddenTopicReferences on the measured setting', () => {
  let references: HiddenTopicReferences;
  let wide: HiddenTopicReferences;
  beforeAll(() => {
    const corpus = createHiddenTopicCorpus(data, 64);
    const valid = corpus.heldOut('valid', 512, 65);
    references = hiddenTopicReferences(corpus, valid, receptiveField(2, 2));
    wide = hiddenTopicReferences(corpus, valid, receptiveField(2, 4));
  });

  it('should order known <= full context <= windowed <= unigram on generated sequences', () => {
    const { tableKnown, fullContextBayes, windowedBayes, previousToken, unigram } = references;
    expect(tableKnown).toBeLessThanOrEqual(fullContextBayes);
    expect(fullContextBayes).toBeLessThanOrEqual(windowedBayes);
    expect(windowedBayes).toBeLessThanOrEqual(references.windowedBayesUniformStart);
    expect(windowedBayes).toBeLessThanOrEqual(previousToken);
    expect(previousToken).toBeLessThanOrEqual(unigram);
  });

  it('should land near the measured 2.45, 2.52, 2.88 and 4.97 bits for 16 tables of 32', () => {
    expect(references.receptiveField).toBe(3);
    expect(Math.abs(references.tableKnown - 2.453)).toBeLessThan(0.1);
    expect(Math.abs(references.fullContextBayes - 2.515)).toBeLessThan(0.1);
    expect(Math.abs(references.windowedBayes - 2.876)).toBeLessThan(0.1);
    expect(Math.abs(references.unigram - 4.975)).toBeLessThan(0.05);
    expect(references.messageBitsPerSequence).toBe(4);
    // The gaps depend less on the particular tables than the levels do.
    expect(references.fullContextBayes - references.tableKnown).toBeCloseTo(0.062, 1);
    expect(references.windowedBayes - references.fullContextBayes).toBeCloseTo(0.361, 1);
  });

  it('should reproduce this corpus\'s own values when the seeds are unchanged', () => {
    expect(references.tableKnown).toBeCloseTo(2.517, 3);
    expect(references.fullContextBayes).toBeCloseTo(2.580, 3);
    expect(references.windowedBayes).toBeCloseTo(2.945, 3);
    expect(references.unigram).toBeCloseTo(4.992, 3);
  });

  it('should match full context when the field spans seven tokens, as measured', () => {
    expect(wide.windowedBayes - wide.fullContextBayes).toBeLessThan(0.01);
    expect(references.perPosition.windowedBayes[0]).toBeCloseTo(
      references.perPosition.fullContextBayes[0], 12);
  });
});
