import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../src/errors.js';
import { createRng } from '../../src/random.js';
import { canonicalColouring, matchingColours } from '../../src/tasks/colouring.js';
import { createColouring } from '../../src/tasks/colouring-family.js';
import { exampleFromText } from '../../src/tasks/example.js';
import { errorOf } from '../fixtures/errors.js';

const colouring = createColouring();
const keysOf = (text: string) =>
  colouring.solutions(colouring.parse(text)).answers.map((a) => a.join('')).sort();

/** All proper 3-colourings by trying every assignment, merged up to colour renaming. */
function bruteForce(nodes: number, edges: [number, number][]): string[] {
  const classes = new Set<string>();
  for (let code = 0; code < 3 ** nodes; code++) {
    const colours = Array.from({ length: nodes }, (_, i) => Math.floor(code / 3 ** i) % 3);
    if (edges.every(([a, b]) => colours[a] !== colours[b])) {
      classes.add(canonicalColouring(colours).join(''));
    }
  }
  return [...classes].sort();
}

describe('colouring enumeration', () => {
  it('should find one colouring up to permutation when the graph is a triangle', () => {
    // 3! = 6 colourings, all renamings of one another.
    expect(keysOf('3:0-1,0-2,1-2')).toEqual(['012']);
  });

  it('should find two classes when the graph is a path of three nodes', () => {
    // 3 * 2 * 2 = 12 colourings; each class has 6 renamings: 010 and 012.
    expect(keysOf('3:0-1,1-2')).toEqual(['010', '012']);
  });

  it('should find three classes when the graph is a 4-cycle', () => {
    // (3-1)^4 + (3-1) = 18 colourings = 3 classes of 6.
    expect(keysOf('4:0-1,1-2,2-3,0-3')).toEqual(['0101', '0102', '0121']);
  });

  it('should find two classes when two nodes have no edge', () => {
    expect(keysOf('2:')).toEqual(['00', '01']);
  });

  it('should equal brute force over all 3^n assignments when the graph is random', () => {
    // A node count, then one coin per pair i < j deciding whether the pair is joined.
    const graphs = fc.integer({ min: 1, max: 7 }).chain((nodes) => {
      const pairs: [number, number][] = [];
      for (let a = 0; a < nodes; a++) for (let b = a + 1; b < nodes; b++) pairs.push([a, b]);
      const coins = fc.array(fc.boolean(), { minLength: pairs.length, maxLength: pairs.length });
      return coins.map((joined) => ({ nodes, edges: pairs.filter((_, i) => joined[i]) }));
    });
    fc.assert(
      fc.property(graphs, ({ nodes, edges }) => {
        const puzzle = { nodes, edges: edges.map(([from, to]) => ({ from, to })) };
        const found = colouring.solutions(puzzle).answers.map((a) => a.join(''));
        expect(found.sort()).toEqual(bruteForce(nodes, edges));
      }),
      { numRuns: 80, seed: 3 },
    );
  });
});

describe('colouring answers', () => {
  const path = colouring.parse('3:1-2,0-1');

  it('should sort edges and print them back when parsing and formatting', () => {
    expect(colouring.format(path)).toBe('3:0-1,1-2');
    expect(colouring.format(colouring.parse(' 4 : 3-0 , 2-1 '))).toBe('4:0-3,1-2');
  });

  it('should accept any renaming of a proper colouring and reject a clash', () => {
    expect(colouring.isValid(path, [2, 0, 2])).toBe(true);
    expect(colouring.isValid(path, [1, 1, 0])).toBe(false);
    expect(colouring.isValid(path, [0, 1, 3])).toBe(false);
    expect(colouring.isValid(path, [0, 1])).toBe(false);
  });

  it('should give renamed colourings the same key when canonicalising', () => {
    expect(colouring.canonical([2, 0, 2])).toBe('010');
    expect(colouring.canonical([1, 2, 0, 1])).toBe('0120');
  });

  it('should count matching nodes under the best renaming', () => {
    expect(matchingColours([2, 0, 2], [0, 1, 0])).toBe(3);
    expect(matchingColours([0, 1, 0], [2, 0, 1])).toBe(2);
    expect(matchingColours([0, 0, 0], [0, 1, 2])).toBe(1);
  });

  it('should encode pairs of an 8-slot graph with absent nodes marked when n is 4', () => {
    const tokens = colouring.encodeInput(colouring.parse('4:0-1,2-3'));
    expect(tokens).toHaveLength(28);
    // Pairs of node 0: 0-1 joined, 0-2 and 0-3 apart, 0-4..0-7 absent.
    expect(tokens.slice(0, 7)).toEqual([1, 0, 0, 2, 2, 2, 2]);
    expect(tokens.filter((t) => t === 1)).toHaveLength(2);
    expect(tokens.filter((t) => t !== 2)).toHaveLength(6);
  });

  it('should pad answer tokens to 8 slots and read back only the graph nodes', () => {
    const puzzle = colouring.parse('4:0-1,2-3');
    const tokens = colouring.encodeAnswer([0, 1, 0, 2]);
    expect(tokens).toEqual([0, 1, 0, 2, 0, 0, 0, 0]);
    expect(colouring.decodeAnswer([0, 1, 0, 2, 1, 2, 1, 2], puzzle)).toEqual([0, 1, 0, 2]);
  });
});

describe('colouring generator', () => {
  it('should draw 3-colourable graphs of 6 to 8 nodes when using defaults', () => {
    const rng = createRng('colouring');
    const sizes = new Set<number>();
    for (let i = 0; i < 60; i++) {
      const { puzzle, solutions } = colouring.generate!(rng);
      sizes.add(puzzle.nodes);
      expect(puzzle.nodes).toBeGreaterThanOrEqual(6);
      expect(puzzle.nodes).toBeLessThanOrEqual(8);
      expect(solutions.answers.length).toBeGreaterThanOrEqual(1);
      for (const answer of solutions.answers) {
        expect(colouring.isValid(puzzle, answer)).toBe(true);
        expect(colouring.canonical(answer)).toBe(answer.join(''));
      }
    }
    expect([...sizes].sort()).toEqual([6, 7, 8]);
  });

  it('should throw ConfigError when options are out of range', () => {
    expect(() => createColouring({ minNodes: 9, maxNodes: 8 })).toThrow(ConfigError);
    expect(() => createColouring({ edgeProbability: 1.5 })).toThrow(/edgeProbability is 1.5/);
  });

  it('should throw DataError when no graph can meet the options', () => {
    const impossible = createColouring({ minNodes: 2, maxNodes: 2, minSolutions: 3 });
    expect(() => impossible.generate!(createRng(1))).toThrow(/no puzzle met the generation/);
  });
});

describe('colouring input errors', () => {
  const cases: { text: string; fragment: string }[] = [
    { text: '6', fragment: "expected the node count, ':' and edges, e.g. '6:0-1,0-2,1-3'" },
    { text: '9:0-1', fragment: '9 nodes; this family takes 1 to 8 nodes' },
    { text: '0:', fragment: '0 nodes' },
    { text: '4:0-1,2x3', fragment: "edge 2 ('2x3') is not two node numbers joined by '-'" },
    { text: '4:0-5', fragment: "edge 1 ('0-5') names node 5; nodes are 0..3" },
    { text: '4:1-1', fragment: 'joins node 1 to itself' },
    { text: '4:0-1,1-0', fragment: "edge 2 ('1-0') repeats edge 0-1" },
  ];

  for (const { text, fragment } of cases) {
    it(`should throw DataError naming the problem when the puzzle is "${text}"`, () => {
      const error = errorOf(() => colouring.parse(text));
      expect(error.message).toContain(`colouring puzzle "${text}"`);
      expect(error.message).toContain(fragment);
    });
  }

  it('should throw DataError when the graph needs four colours', () => {
    const k4 = '4:0-1,0-2,0-3,1-2,1-3,2-3';
    expect(errorOf(() => exampleFromText(colouring, k4)).message).toContain('has no solution');
  });
});
