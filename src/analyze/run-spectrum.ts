// `spectrum` of a corpus: its co-occurrence eigenvectors, how each splits the vocabulary and,
// on the hierarchy corpus, how well the splits recover each level of the true hierarchy.
import type { Config } from '../config/index.js';
import {
  isHierarchyCorpus, type Corpus, type Grammar, type HeldOutSet, type HeldOutSplit,
} from '../data/index.js';
import { deriveRng, shuffled, type Rng } from '../random.js';
import { adjustedRandIndex } from './adjusted-rand.js';
import { treeLevels } from './hierarchy-dependence.js';
import {
  cooccurrence, leadingSplits, positivePmi, signPattern, type EigenSplit,
} from './spectrum.js';

export interface SpectrumOptions {
  split: HeldOutSplit;
  sequences: number;
  /** Largest distance of a co-occurring pair. */
  window: number;
  eigenvectors: number;
  minCount: number;
}

export interface SplitSummary {
  index: number;
  eigenvalue: number;
  splits: boolean;
  /** Tokens on each side, as text, most extreme first (at most 8 each). */
  positive: string[];
  negative: string[];
  sizes: [number, number];
  /** How many tokens of each kind of character lie on each side (text corpora). */
  kinds: { positive: Record<string, number>; negative: Record<string, number> };
  /** Hierarchy corpus: agreement of this split alone with each level's partition. */
  adjustedRandByLevel?: number[];
}

export interface LevelAgreement {
  level: number;
  /** Distinct classes of the level's partition of the vocabulary. */
  classes: number;
  /** Agreement of the sign patterns of the leading ceil(log2 classes) splits. */
  value: number;
  eigenvectorsUsed: number;
  /** The single split that agrees best with this level. */
  bestSplit: { index: number; value: number };
  /**
   * The 95th percentile of the adjusted Rand index of the best split's sides shuffled over
   * the vocabulary: what a split of the same sizes reaches by chance.
   */
  chance95: number;
}

export interface SpectrumReport {
  split: HeldOutSplit;
  sequences: number;
  window: number;
  vocabularyKept: number;
  eigenvalues: number[];
  splits: SplitSummary[];
  /** Hierarchy corpus: one entry per level, coarsest (the root) first. */
  adjustedRandByLevel?: LevelAgreement[];
  /** Whether the best split of each coarser level comes no later than a finer level's. */
  coarseToFine?: boolean;
}

/**
 * For levels 1..depth, the partition of each token id into its most frequent ancestor at that
 * level over the trees of `set`. Returns, per level, a map from token id to class.
 */
export function majorityAncestors(set: HeldOutSet, grammar: Grammar): Map<number, number>[] {
  const levels = treeLevels(set, grammar);
  const n = grammar.branching ** grammar.depth;
  const trees = levels[0].length / n;
  return levels.slice(1).map((symbols, offset) => {
    const span = grammar.branching ** (offset + 1);
    const perTree = symbols.length / trees;
    const tally = new Map<number, Map<number, number>>();
    levels[0].forEach((token, i) => {
      const tree = Math.floor(i / n);
      const ancestor = symbols[tree * perTree + Math.floor((i % n) / span)];
      const counts = tally.get(token) ?? new Map<number, number>();
      counts.set(ancestor, (counts.get(ancestor) ?? 0) + 1);
      tally.set(token, counts);
    });
    return new Map([...tally].map(([token, counts]) => [token,
      [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0]]));
  });
}

/** The kind of character a token's text is: a letter's case, a digit, space, or other. */
export function characterKind(text: string): string {
  if (/^[a-z]+$/.test(text)) return 'lower';
  if (/^[A-Z]+$/.test(text)) return 'upper';
  if (/^[0-9]+$/.test(text)) return 'digit';
  if (/^\s+$/.test(text)) return 'space';
  return 'other';
}

function kindCounts(texts: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const text of texts) counts[characterKind(text)] = (counts[characterKind(text)] ?? 0) + 1;
  return counts;
}

function describeSplit(split: EigenSplit, tokens: number[], corpus: Corpus): SplitSummary {
  const text = (i: number) => corpus.tokenizer.decode([tokens[i]]);
  const ranked = split.vector.map((x, i) => ({ x, i })).sort((a, b) => b.x - a.x);
  const positive = ranked.filter(({ x }) => x > 1e-12);
  const negative = ranked.filter(({ x }) => x <= 1e-12).reverse();
  return { index: split.index, eigenvalue: split.eigenvalue, splits: split.splits,
    positive: positive.slice(0, 8).map(({ i }) => text(i)),
    negative: negative.slice(0, 8).map(({ i }) => text(i)),
    sizes: [positive.length, negative.length],
    kinds: { positive: kindCounts(positive.map(({ i }) => text(i))),
      negative: kindCounts(negative.map(({ i }) => text(i))) } };
}

/** The 95th percentile of agreement when the sides of `side` are shuffled `draws` times. */
function chanceAgreement(side: number[], partition: number[], rng: Rng, draws = 400): number {
  const values = Array.from({ length: draws },
    () => adjustedRandIndex(shuffled(side, rng), partition)).sort((a, b) => a - b);
  return values[Math.floor(0.95 * (draws - 1))];
}

function levelAgreement(splits: EigenSplit[], partition: number[], level: number,
  perSplit: number[], rng: Rng): LevelAgreement {
  const classes = new Set(partition).size;
  const useful = splits.filter((split) => split.splits);
  const used = Math.min(useful.length, Math.max(1, Math.ceil(Math.log2(classes))));
  const value = used === 0 ? 0 : adjustedRandIndex(signPattern(useful.slice(0, used)), partition);
  const best = perSplit.reduce((top, ari, index) => (ari > perSplit[top] ? index : top), 0);
  return { level, classes, value, eigenvectorsUsed: used,
    bestSplit: { index: best, value: perSplit[best] },
    chance95: chanceAgreement(splits[best].side, partition, rng) };
}

/** The spectrum analysis of a corpus as a config sets it up. */
export function analyzeSpectrum(corpus: Corpus, config: Config,
  options: SpectrumOptions): SpectrumReport {
  const set = corpus.heldOut(options.split, options.sequences, config.model.sequenceLength + 1);
  const exclude = new Set(isHierarchyCorpus(corpus) ? [corpus.separator] : []);
  const { tokens, counts } = cooccurrence(set, options.window, exclude, options.minCount);
  const splits = leadingSplits(positivePmi(counts), options.eigenvectors);
  const report: SpectrumReport = {
    split: options.split, sequences: set.count, window: options.window,
    vocabularyKept: tokens.length, eigenvalues: splits.map((split) => split.eigenvalue),
    splits: splits.map((split) => describeSplit(split, tokens, corpus)),
  };
  if (!isHierarchyCorpus(corpus) || set.levels === undefined) return report;

  const partitions = majorityAncestors(set, corpus.grammar)
    .map((classes) => tokens.map((token) => classes.get(token) ?? -1));
  const perSplit = splits.map((split) => partitions.map((p) => adjustedRandIndex(split.side, p)));
  report.splits.forEach((summary, i) => { summary.adjustedRandByLevel = perSplit[i]; });
  const rng = deriveRng(config.train.seed, 'spectrum-chance');
  const agreement = partitions.map((partition, offset) => levelAgreement(splits, partition,
    offset + 1, perSplit.map((row) => row[offset]), rng)).reverse();
  report.adjustedRandByLevel = agreement;
  const order = agreement.map((level) => level.bestSplit.index);
  report.coarseToFine = order.every((index, i) => i === 0 || order[i - 1] <= index);
  return report;
}
