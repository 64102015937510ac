// The random hierarchy model and its corpus: trees parse back to their symbols, productions
// are unambiguous, the source entropy is pinned, and windows hold whole sequences.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import {
  generateTree, hierarchyEntropyBits, parentTables, parseTokens, sampleGrammar,
  sequenceTokens, type HierarchyShape,
} from '../../src/data/hierarchy.js';
import { createHierarchyCorpus } from '../../src/data/hierarchyCorpus.js';
import { loadCorpus } from '../../src/data/load.js';
import { ConfigError, DataError } from '../../src/errors.js';
import { createRng } from '../../src/random.js';

const shapes = fc.record({
  depth: fc.integer({ min: 1, max: 4 }),
  vocab: fc.integer({ min: 2, max: 9 }),
  branching: fc.integer({ min: 2, max: 3 }),
  rulesShare: fc.double({ min: 0, max: 1, noNaN: true }),
}).map(({ depth, vocab, branching, rulesShare }): HierarchyShape => {
  const most = vocab ** (branching - 1);
  return { depth, vocab, branching, rules: 1 + Math.floor(rulesShare * (most - 1)) };
});

const hierarchyConfig = (data: object = {}, sequenceLength = 8) => resolveConfig({
  data: { kind: 'hierarchy', depth: 3, vocab: 6, rules: 3, branching: 2,
    heldOutSequences: 32, ...data },
  model: { sequenceLength, window: 4 },
});

describe('sampleGrammar and parseTokens', () => {
  it('should parse every generated tree back to its symbols when the shape varies', () => {
    fc.assert(fc.property(shapes, fc.integer(), (shape, seed) => {
      const grammar = sampleGrammar(shape, seed);
      const rng = createRng(seed);
      for (let draw = 0; draw < 5; draw++) {
        const tree = generateTree(grammar, rng);
        expect(tree[0]).toHaveLength(sequenceTokens(shape));
        expect(tree[shape.depth]).toHaveLength(1);
        expect(parseTokens(grammar, tree[0])).toEqual(tree);
      }
    }), { numRuns: 60 });
  });

  it('should give every child tuple one parent at most when rules * vocab are drawn', () => {
    fc.assert(fc.property(shapes, fc.integer(), (shape, seed) => {
      const tables = parentTables(sampleGrammar(shape, seed));
      for (const parents of tables) expect(parents.size).toBe(shape.rules * shape.vocab);
    }), { numRuns: 60 });
  });

  it('should draw the same grammar for the same seed and another for another seed', () => {
    const shape = { depth: 3, vocab: 8, rules: 2, branching: 2 };
    expect(sampleGrammar(shape, 5).productions).toEqual(sampleGrammar(shape, 5).productions);
    expect(sampleGrammar(shape, 5).productions).not.toEqual(sampleGrammar(shape, 6).productions);
  });

  it('should reach vocab * rules^(internal nodes) sequences, all as likely, when sampled', () => {
    // depth 2, branching 2: 3 internal nodes, so 2 * 2^3 = 16 sequences, each 1/16.
    const grammar = sampleGrammar({ depth: 2, vocab: 2, rules: 2, branching: 2 }, 3);
    const rng = createRng('count');
    const counts = new Map<string, number>();
    const draws = 16_000;
    for (let draw = 0; draw < draws; draw++) {
      const key = generateTree(grammar, rng)[0].join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(16);
    for (const count of counts.values()) {
      expect(Math.abs(count / draws - 1 / 16)).toBeLessThan(0.01);
    }
  });

  it('should throw a DataError naming the level when a tuple matches no rule', () => {
    const grammar = sampleGrammar({ depth: 1, vocab: 4, rules: 1, branching: 2 }, 1);
    const used = new Set(parentTables(grammar)[0].keys());
    const unused = ['0,0', '0,1', '0,2', '0,3', '1,0', '1,1', '1,2', '1,3']
      .find((key) => !used.has(key))!;
    const tokens = unused.split(',').map(Number);
    expect(() => parseTokens(grammar, tokens)).toThrow(DataError);
    expect(() => parseTokens(grammar, tokens)).toThrow(`children (${unused}) at level 0`);
    expect(() => parseTokens(grammar, [0, 1, 2])).toThrow('a sequence has 2 (branching^depth)');
  });

  it('should refuse more rules than distinct tuples allow', () => {
    expect(() => sampleGrammar({ depth: 2, vocab: 3, rules: 4, branching: 2 }, 1))
      .toThrow('4 rules x 3 symbols exceed the 9 distinct tuples');
  });
});

describe('hierarchyEntropyBits', () => {
  it('should equal (log2 vocab + internal nodes * log2 rules) / tokens for one tree', () => {
    // depth 3, branching 2: 8 tokens, 7 internal nodes: (4 + 7 * 2) / 8 = 2.25 bits.
    expect(hierarchyEntropyBits({ depth: 3, vocab: 16, rules: 4, branching: 2 }, 8)).toBe(2.25);
    // Two trees and two separators in a window of 18, 17 scored: 2 * 18 / 17 bits.
    expect(hierarchyEntropyBits({ depth: 3, vocab: 16, rules: 4, branching: 2 }, 17))
      .toBeCloseTo(36 / 17, 12);
  });
});

describe('the hierarchy corpus', () => {
  it('should lead every window with the separator and label rows with their symbols', () => {
    const config = hierarchyConfig();
    const corpus = createHierarchyCorpus(config.data, 8);
    const set = corpus.heldOut('valid', 10, 9);
    expect(corpus.vocabSize).toBe(7);
    expect(set.count).toBe(10);
    expect(set.levels!.map((level) => level.length)).toEqual([40, 20, 10]);
    const parents = parentTables(corpus.grammar);
    for (let row = 0; row < set.count; row++) {
      expect(set.tokens[row * 9]).toBe(6);
      const levels = parseTokens(corpus.grammar, set.tokens.subarray(row * 9 + 1, row * 9 + 9),
        parents);
      expect(levels[1]).toEqual(set.levels![0].subarray(row * 4, row * 4 + 4));
      expect(levels[3][0]).toBe(set.labels![row]);
    }
  });

  it('should keep held-out sets fixed when the run seed changes', () => {
    const a = loadCorpus(hierarchyConfig().data, 8).heldOut('test', 20, 9);
    const b = loadCorpus(resolveConfig({ ...hierarchyConfig(), train: { seed: 99 } }).data, 8)
      .heldOut('test', 20, 9);
    expect(a.tokens).toEqual(b.tokens);
    expect(a.tokens).not.toEqual(loadCorpus(hierarchyConfig().data, 8).heldOut('valid', 20, 9)
      .tokens);
  });

  it('should draw training rows from a pool of trainSequences when it is above 0', () => {
    const corpus = loadCorpus(hierarchyConfig({ trainSequences: 3 }).data, 8);
    const rows = corpus.sampleTrainBatch(createRng(1), 200, 9);
    const distinct = new Set(Array.from({ length: 200 },
      (_, row) => rows.subarray(row * 9, row * 9 + 9).join(',')));
    expect(distinct.size).toBe(3);
    const fresh = loadCorpus(hierarchyConfig().data, 8).sampleTrainBatch(createRng(1), 200, 9);
    const freshDistinct = new Set(Array.from({ length: 200 },
      (_, row) => fresh.subarray(row * 9, row * 9 + 9).join(',')));
    expect(freshDistinct.size).toBeGreaterThan(100);
  });

  it('should hold two whole trees per window and no labels when sequenceLength is 17', () => {
    const config = hierarchyConfig({}, 17);
    const set = loadCorpus(config.data, 17).heldOut('valid', 4, 18);
    expect(set.tokens[0]).toBe(6);
    expect(set.tokens[9]).toBe(6);
    expect(set.levels![2]).toHaveLength(8);
    expect(set.labels).toBeUndefined();
  });
});

describe('hierarchy config checks', () => {
  it('should name model.sequenceLength and the fix when a window cuts a tree', () => {
    expect(() => hierarchyConfig({}, 10)).toThrow(ConfigError);
    expect(() => hierarchyConfig({}, 10)).toThrow('model.sequenceLength: 10 + 1 must be a '
      + 'multiple of 9 (a separator and 8 tokens per sequence); use 8');
  });

  it('should name data.rules and the most it can be when productions cannot be distinct', () => {
    expect(() => hierarchyConfig({ rules: 7 })).toThrow('data.rules: 7 rules for each of 6 '
      + 'symbols need 42 distinct tuples, but only 36 exist; use at most 6');
  });
});
