import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/index.js';
import { DataError } from '../../src/errors.js';
import { createRng } from '../../src/random.js';
import type { Corpus } from '../../src/data/corpus.js';
import { describeCorpus } from '../../src/data/describe.js';
import { loadCorpus } from '../../src/data/load.js';
import { type SplitDocuments, splitSotu } from '../../src/data/splits.js';

const data: Config['data'] = {
  kind: 'sotu', path: '', jsonlField: 'text', tokenizer: 'bytes', trainUntilYear: 1980,
  validUntilYear: 2000, validFraction: 0.1, topics: 16, alphabet: 32, concentration: 0.1,
  tableSeed: 12345, heldOutSequences: 512, depth: 3, vocab: 8, rules: 2, branching: 2,
  rulesSeed: 2024, trainSequences: 0,
};

const yearOf = (source: string) => Number(path.basename(source).slice(0, 4));
const joined = (documents: { text: string }[]) =>
  Buffer.from(documents.map((document) => document.text).join('\n\n'), 'utf8');

describe('splitSotu', () => {
  let splits: SplitDocuments;
  beforeAll(() => {
    splits = splitSotu(1980, 2000);
  });

  it('should put every speech in exactly one split by its year when split 1980/2000', () => {
    const sources = [...splits.train, ...splits.valid, ...splits.test].map((d) => d.source);
    expect(new Set(sources).size).toBe(sources.length);
    expect(sources).toHaveLength(233);
    expect(splits.train.every((d) => yearOf(d.source) <= 1980)).toBe(true);
    expect(splits.valid.every((d) => yearOf(d.source) > 1980 && yearOf(d.source) <= 2000))
      .toBe(true);
    expect(splits.test.every((d) => yearOf(d.source) > 2000)).toBe(true);
  });

  it('should hold the 1790 speech in train and a 1990 speech in valid', () => {
    expect(splits.train.some((d) => yearOf(d.source) === 1790)).toBe(true);
    expect(splits.valid.some((d) => yearOf(d.source) === 1990)).toBe(true);
    expect(splits.train[0].text.startsWith('Fellow-Citizens of the Senate')).toBe(true);
  });

  it('should keep both speeches of a shared year together when two fall in one year', () => {
    const year1953 = splits.train.filter((d) => yearOf(d.source) === 1953);
    expect(year1953).toHaveLength(2);
  });

  it('should throw DataError naming the field when validUntilYear precedes trainUntilYear', () => {
    expect(() => splitSotu(1980, 1970)).toThrow(DataError);
    expect(() => splitSotu(1980, 1970)).toThrow(/data\.validUntilYear is 1970/);
  });
});

describe('the sotu corpus with the bytes tokenizer', () => {
  let corpus: Corpus;
  let trainBytes: Buffer;
  let validBytes: Buffer;
  let loadMs: number;
  beforeAll(() => {
    const start = performance.now();
    corpus = loadCorpus(data, 64);
    loadMs = performance.now() - start;
    const splits = splitSotu(1980, 2000);
    trainBytes = joined(splits.train);
    validBytes = joined(splits.valid);
  });

  it('should match the measured split sizes when split at 1980 and 2000', () => {
    expect(corpus.summary.train).toEqual({ documents: 192, tokens: 9_188_633, bytes: 9_188_633 });
    expect(corpus.summary.valid).toEqual({ documents: 20, tokens: 851_235, bytes: 851_235 });
    expect(corpus.summary.test.documents).toBe(21);
    expect(corpus.summary.generated).toBe(false);
    expect(corpus.vocabSize).toBe(256);
    expect(describeCorpus(corpus)).toContain('train: 192 documents, 9,188,633 tokens, 9.19 MB');
  });

  it('should load the whole corpus in well under two seconds when tokens are bytes', () => {
    expect(loadMs).toBeLessThan(2000);
  });

  it('should give the same batch for the same seed and another for another seed', () => {
    const first = corpus.sampleTrainBatch(createRng(7), 16, 65);
    expect(first).toHaveLength(16 * 65);
    expect(corpus.sampleTrainBatch(createRng(7), 16, 65)).toEqual(first);
    expect(corpus.sampleTrainBatch(createRng(8), 16, 65)).not.toEqual(first);
  });

  it('should crop every training sequence from inside the training text', () => {
    const batch = corpus.sampleTrainBatch(createRng(3), 16, 65);
    for (let row = 0; row < 16; row++) {
      const crop = Buffer.from(batch.subarray(row * 65, (row + 1) * 65));
      expect(trainBytes.indexOf(crop)).toBeGreaterThanOrEqual(0);
    }
  });

  it('should return the same non-overlapping in-order windows when asked twice', () => {
    const set = corpus.heldOut('valid', 256, 65);
    expect(corpus.heldOut('valid', 256, 65)).toEqual(set);
    expect(set).toMatchObject({ count: 256, length: 65, bytes: 256 * 64 });
    let end = 0;
    for (let row = 0; row < set.count; row++) {
      const window = Buffer.from(set.tokens.subarray(row * 65, (row + 1) * 65));
      const start = validBytes.indexOf(window, end);
      expect(start).toBeGreaterThanOrEqual(end);
      end = start + 65;
    }
  });

  it('should return fewer windows when the split is shorter than the request', () => {
    const set = corpus.heldOut('valid', 1_000_000, 65);
    expect(set.count).toBe(Math.floor(851_235 / 65));
    expect(() => corpus.heldOut('test', 4, 800_000)).toThrow(DataError);
  });

  it('should give a byte entropy near 4.4 bits when the split is English prose', () => {
    expect(corpus.unigramEntropyBitsPerByte('valid')).toBeCloseTo(4.4017, 3);
    expect(corpus.unigramEntropyBitsPerByte('test')).toBeGreaterThan(4.2);
  });
});
