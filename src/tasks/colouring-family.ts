// The 3-colouring family: small random graphs as token sequences, a colour per node as the
// answer, and a generator of Erdos-Renyi graphs that keeps only 3-colourable ones.
import { ConfigError } from '../errors.js';
import type { Rng } from '../random.js';
import { checkTokenCount } from './answer-cells.js';
import {
  canonicalColouring,
  colouringSolutions,
  formatColouring,
  isValidColouring,
  matchingColours,
  parseColouring,
  type ColouringPuzzle,
  type Edge,
} from './colouring.js';
import type { GeneratedPuzzle, PuzzleFamily } from './family.js';
import { checkIntegerRange, drawUntilAccepted } from './generation.js';

/** Graph sizes and density for `generate`, and the largest graph the tokens can hold. */
export interface ColouringOptions {
  /** Fewest nodes a generated graph has (default 6). */
  minNodes: number;
  /** Most nodes (default 8); also fixes the token lengths. The count is uniform in the range. */
  maxNodes: number;
  /** Chance that each pair of nodes is joined (default 0.5). */
  edgeProbability: number;
  /** Fewest colourings, up to permutation, a kept graph has (default 1: 3-colourable). */
  minSolutions: number;
  /** Most colourings up to permutation a kept graph has (default 100000, no limit in practice). */
  maxSolutions: number;
}

export const colouringDefaults: ColouringOptions = {
  minNodes: 6,
  maxNodes: 8,
  edgeProbability: 0.5,
  minSolutions: 1,
  maxSolutions: 100_000,
};

/** Input token for a pair of nodes: not joined, joined, or a node beyond this graph's size. */
const pairToken = { apart: 0, joined: 1, absent: 2 };

/**
 * The colouring family. Input: one token per node pair i < j of a `maxNodes` graph, row by
 * row (`maxNodes·(maxNodes-1)/2` tokens). Output: one colour token per node slot.
 */
export function createColouring(
  options: Partial<ColouringOptions> = {},
): PuzzleFamily<ColouringPuzzle> {
  const settings = checkOptions({ ...colouringDefaults, ...options });
  const slots = settings.maxNodes;
  return {
    name: 'colouring',
    inputLength: (slots * (slots - 1)) / 2,
    outputLength: slots,
    inputVocab: 3,
    outputVocab: 3,
    defaultMaxSolutions: 100_000,
    parse: (text) => parseColouring(text, slots),
    format: formatColouring,
    formatAnswer: (answer) => answer.join(''),
    encodeInput: (puzzle) => encodePairs(puzzle, slots),
    // NOTE: slots beyond the graph hold colour 0, a fixed filler that decoding ignores.
    encodeAnswer: (answer) => [...answer, ...new Array<number>(slots - answer.length).fill(0)],
    decodeAnswer: (tokens, puzzle) => {
      checkTokenCount('colouring', tokens, slots);
      return tokens.slice(0, puzzle.nodes);
    },
    isValid: isValidColouring,
    solutions: (puzzle, max = 100_000) => colouringSolutions(puzzle, max),
    canonicalize: canonicalColouring,
    canonical: (answer) => canonicalColouring(answer).join(''),
    matchingCells: matchingColours,
    generate: (rng) => generateColouring(settings, rng),
  };
}

function checkOptions(settings: ColouringOptions): ColouringOptions {
  const nodes = { low: settings.minNodes, high: settings.maxNodes };
  checkIntegerRange('colouring', { low: 'minNodes', high: 'maxNodes' }, nodes, 2);
  const counts = { low: settings.minSolutions, high: settings.maxSolutions };
  checkIntegerRange('colouring', { low: 'minSolutions', high: 'maxSolutions' }, counts, 1);
  const p = settings.edgeProbability;
  if (!(p >= 0 && p <= 1)) {
    throw new ConfigError(`colouring: edgeProbability is ${p}; use a number in [0, 1]`);
  }
  return settings;
}

function encodePairs(puzzle: ColouringPuzzle, slots: number): number[] {
  const joined = new Set(puzzle.edges.map((edge) => edge.from * slots + edge.to));
  const tokens: number[] = [];
  for (let from = 0; from < slots; from++) {
    for (let to = from + 1; to < slots; to++) {
      if (to >= puzzle.nodes) tokens.push(pairToken.absent);
      else tokens.push(joined.has(from * slots + to) ? pairToken.joined : pairToken.apart);
    }
  }
  return tokens;
}

function generateColouring(
  settings: ColouringOptions,
  rng: Rng,
): GeneratedPuzzle<ColouringPuzzle> {
  return drawUntilAccepted('colouring generator', () => {
    const nodes = settings.minNodes + rng.int(settings.maxNodes - settings.minNodes + 1);
    const edges: Edge[] = [];
    for (let from = 0; from < nodes; from++) {
      for (let to = from + 1; to < nodes; to++) {
        if (rng.next() < settings.edgeProbability) edges.push({ from, to });
      }
    }
    const puzzle = { nodes, edges };
    const solutions = colouringSolutions(puzzle, settings.maxSolutions);
    const count = solutions.answers.length;
    if (!solutions.complete || count < settings.minSolutions) return null;
    return { puzzle, solutions };
  });
}
