// Graph 3-colouring rules: the "n:u-v,..." string form, the checker, and exact enumeration of
// colourings counted up to a permutation of the three colours.
import { DataError } from '../errors.js';
import type { Answer, SolutionSet } from './family.js';
import { checkSolutionCap } from './generation.js';
import { exactCovers, takeDistinct, type CoverRow } from './exact-cover.js';
import { quotePuzzle } from './puzzle-text.js';

/** Colours per graph. */
export const colourCount = 3;

/** An undirected edge, stored with `from < to`. */
export interface Edge {
  from: number;
  to: number;
}

/** A graph on nodes 0..nodes-1; edges sorted by `from`, then `to`, each listed once. */
export interface ColouringPuzzle {
  nodes: number;
  edges: Edge[];
}

const example = "'6:0-1,0-2,1-3'";

/**
 * Reads "n:u-v,u-v,..." (whitespace ignored): the node count, a colon, then edges between
 * nodes 0..n-1 in any order and orientation; "5:" is five nodes and no edge.
 */
export function parseColouring(text: string, maxNodes: number): ColouringPuzzle {
  const where = `colouring puzzle ${quotePuzzle(text)}`;
  const compact = text.replace(/\s+/g, '');
  const match = /^(\d+):(.*)$/.exec(compact);
  if (match === null) {
    throw new DataError(`${where}: expected the node count, ':' and edges, e.g. ${example}`);
  }
  const nodes = Number(match[1]);
  if (nodes < 1 || nodes > maxNodes) {
    throw new DataError(`${where}: ${nodes} nodes; this family takes 1 to ${maxNodes} nodes`);
  }
  const seen = new Set<string>();
  const edges = (match[2] === '' ? [] : match[2].split(',')).map((token, index) => {
    const edge = parseEdge(token, index, nodes, where);
    const key = `${edge.from}-${edge.to}`;
    if (seen.has(key)) {
      const what = `edge ${index + 1} ('${token}')`;
      throw new DataError(`${where}: ${what} repeats edge ${key}; list each edge once`);
    }
    seen.add(key);
    return edge;
  });
  edges.sort((a, b) => a.from - b.from || a.to - b.to);
  return { nodes, edges };
}

function parseEdge(token: string, index: number, nodes: number, where: string): Edge {
  const what = `${where}: edge ${index + 1} ('${token}')`;
  const match = /^(\d+)-(\d+)$/.exec(token);
  if (match === null) throw new DataError(`${what} is not two node numbers joined by '-'`);
  const [a, b] = [Number(match[1]), Number(match[2])];
  for (const node of [a, b]) {
    if (node >= nodes) throw new DataError(`${what} names node ${node}; nodes are 0..${nodes - 1}`);
  }
  if (a === b) {
    throw new DataError(`${what} joins node ${a} to itself, which no colouring can satisfy`);
  }
  return { from: Math.min(a, b), to: Math.max(a, b) };
}

/** The string form `parseColouring` reads, edges in sorted order. */
export function formatColouring(puzzle: ColouringPuzzle): string {
  return `${puzzle.nodes}:${puzzle.edges.map((edge) => `${edge.from}-${edge.to}`).join(',')}`;
}

/** True when every node has a colour 0..2 and no edge joins two nodes of the same colour. */
export function isValidColouring(puzzle: ColouringPuzzle, answer: Answer): boolean {
  if (answer.length !== puzzle.nodes) return false;
  if (!answer.every((colour) => Number.isInteger(colour) && colour >= 0 && colour < colourCount)) {
    return false;
  }
  return puzzle.edges.every((edge) => answer[edge.from] !== answer[edge.to]);
}

/** Colours renamed in order of first appearance, so permuted colourings coincide. */
export function canonicalColouring(answer: Answer): Answer {
  const names = new Map<number, number>();
  return answer.map((colour) => {
    if (!names.has(colour)) names.set(colour, names.size);
    return names.get(colour) as number;
  });
}

/**
 * Every colouring up to colour permutation, up to `max` classes, in canonical form. Columns:
 * each node coloured once (primary); each edge holding a colour at most once (secondary).
 * Node 0 takes colour 0 only, which cuts the search threefold without losing a class.
 */
export function colouringSolutions(puzzle: ColouringPuzzle, max: number): SolutionSet {
  checkSolutionCap('colouring solutions', max);
  const rows: CoverRow[] = [];
  const choices: { node: number; colour: number }[] = [];
  for (let node = 0; node < puzzle.nodes; node++) {
    for (let colour = 0; colour < (node === 0 ? 1 : colourCount); colour++) {
      const secondary: number[] = [];
      puzzle.edges.forEach((edge, index) => {
        if (edge.from === node || edge.to === node) secondary.push(index * colourCount + colour);
      });
      rows.push({ primary: [node], secondary });
      choices.push({ node, colour });
    }
  }
  const secondaryColumns = puzzle.edges.length * colourCount;
  const colourings = function* () {
    for (const cover of exactCovers({ primaryColumns: puzzle.nodes, secondaryColumns, rows })) {
      const colours = new Array<number>(puzzle.nodes).fill(0);
      for (const index of cover) colours[choices[index].node] = choices[index].colour;
      yield canonicalColouring(colours);
    }
  };
  const { items, complete } = takeDistinct(colourings(), max, (colours) => colours.join(''));
  return { answers: items, complete };
}

const permutations = [
  [0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0],
];

/** Nodes on which two colourings agree after the best renaming of the first one's colours. */
export function matchingColours(a: Answer, b: Answer): number {
  let best = 0;
  for (const rename of permutations) {
    let same = 0;
    for (let node = 0; node < Math.min(a.length, b.length); node++) {
      if (rename[a[node]] !== undefined && rename[a[node]] === b[node]) same++;
    }
    best = Math.max(best, same);
  }
  return best;
}
