// Correctness and diversity of the S answers sampled for one puzzle, measured against its exact
// solution set; one answer picked from the S; and scores averaged over many puzzles.
import { DataError } from '../errors.js';
import type { Answer, PuzzleFamily } from '../tasks/family.js';

/** A family's checker and symmetry bound to one puzzle. */
export interface AnswerJudge {
  /** True when the answer satisfies every constraint of the puzzle. */
  isValid(answer: Answer): boolean;
  /** The answer's canonical key: equal keys are the same answer for counting. */
  key(answer: Answer): string;
  /** Cells on which two answers agree under the best symmetry (colour renaming, say). */
  matchingCells(a: Answer, b: Answer): number;
}

/** The judge for one puzzle of a family. */
export function judgeFor<P>(family: PuzzleFamily<P>, puzzle: P): AnswerJudge {
  return {
    isValid: (answer) => family.isValid(puzzle, answer),
    key: (answer) => family.canonical(answer),
    matchingCells: (a, b) => family.matchingCells(a, b),
  };
}

/** What is scored for one puzzle. */
export interface ScoredAnswers {
  /** The puzzle's solution set, one answer per canonical class (|Sol| of them). */
  solutions: readonly Answer[];
  /** The S sampled answers, valid or not. */
  samples: readonly Answer[];
  /** The one stored target, when there is one; enables the `target*` scores. */
  target?: Answer;
}

/** Scores of S sampled answers for one puzzle (or their mean over puzzles). */
export interface AnswerScores {
  /** S, the answers scored. */
  samples: number;
  /** |Sol|, the size of the solution set. */
  solutionCount: number;
  /** Share of samples that satisfy every constraint. */
  validRate: number;
  /** 1 when at least one sample is valid, else 0; averages to the share of such puzzles. */
  anyValid: number;
  /** Distinct canonical keys among the valid samples. */
  distinctValid: number;
  /** Distinct valid samples that are in Sol, divided by |Sol|; at most 1. */
  coverage: number;
  /**
   * Mean over all S(S-1)/2 pairs of samples of the cells where they differ, under the best
   * symmetry; 0 when S = 1.
   */
  meanPairwiseHamming: number;
  /** Entropy in bits of the distribution of canonical keys over all S samples. */
  entropyBits: number;
  /** Mean over samples of the share of cells matching the closest answer in Sol. */
  bestCellAccuracy: number;
  /** Mean over samples of the share of cells matching `target`; null without a target. */
  targetCellAccuracy: number | null;
  /** Share of samples that are valid and equal to an answer in Sol (whole-answer accuracy). */
  exactAccuracy: number;
  /** Share of samples whose canonical key equals the target's; null without a target. */
  targetExactAccuracy: number | null;
}

/** Share of cells on which two answers agree, over the longer of the two. */
function agreement(judge: AnswerJudge, a: Answer, b: Answer): number {
  const cells = Math.max(a.length, b.length);
  return cells === 0 ? 1 : judge.matchingCells(a, b) / cells;
}

/** Scores the samples of one puzzle. Throws DataError when there are no samples or no solutions. */
export function scoreAnswers(judge: AnswerJudge, scored: ScoredAnswers): AnswerScores {
  const { solutions, samples, target } = scored;
  if (samples.length === 0) throw new DataError('answer scores: no samples; draw S >= 1 answers');
  if (solutions.length === 0) {
    throw new DataError('answer scores: empty solution set; score only puzzles with an answer');
  }
  const S = samples.length;
  const keys = samples.map((sample) => judge.key(sample));
  const valid = samples.map((sample) => judge.isValid(sample));
  const solutionKeys = new Set(solutions.map((solution) => judge.key(solution)));
  const validKeys = new Set(keys.filter((_, i) => valid[i]));
  const exact = keys.filter((key, i) => valid[i] && solutionKeys.has(key)).length;
  const closest = samples.map((sample) =>
    Math.max(...solutions.map((solution) => agreement(judge, sample, solution))),
  );
  return {
    samples: S,
    solutionCount: solutions.length,
    validRate: count(valid) / S,
    anyValid: valid.some(Boolean) ? 1 : 0,
    distinctValid: validKeys.size,
    coverage: [...validKeys].filter((key) => solutionKeys.has(key)).length / solutions.length,
    meanPairwiseHamming: meanPairwiseDistance(judge, samples),
    entropyBits: entropyBits(keys),
    bestCellAccuracy: mean(closest),
    exactAccuracy: exact / S,
    ...targetScores(judge, samples, keys, target),
  };
}

/** Cell and exact accuracy against the one stored target, or nulls without one. */
function targetScores(
  judge: AnswerJudge,
  samples: readonly Answer[],
  keys: readonly string[],
  target: Answer | undefined,
): Pick<AnswerScores, 'targetCellAccuracy' | 'targetExactAccuracy'> {
  if (target === undefined) return { targetCellAccuracy: null, targetExactAccuracy: null };
  const targetKey = judge.key(target);
  return {
    targetCellAccuracy: mean(samples.map((sample) => agreement(judge, sample, target))),
    targetExactAccuracy: keys.filter((key) => key === targetKey).length / samples.length,
  };
}

function count(flags: readonly boolean[]): number {
  return flags.filter(Boolean).length;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Mean cells of disagreement over all pairs; 0 for a single sample. */
export function meanPairwiseDistance(judge: AnswerJudge, samples: readonly Answer[]): number {
  let total = 0;
  let pairs = 0;
  for (let i = 0; i < samples.length; i++) {
    for (let j = i + 1; j < samples.length; j++) {
      const cells = Math.max(samples[i].length, samples[j].length);
      total += cells - judge.matchingCells(samples[i], samples[j]);
      pairs++;
    }
  }
  return pairs === 0 ? 0 : total / pairs;
}

/** Entropy in bits of the empirical distribution of the given keys. */
export function entropyBits(keys: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / keys.length;
    bits -= p * Math.log2(p);
  }
  // A single key gives -0; report a plain zero.
  return bits === 0 ? 0 : bits;
}

/** How one answer is picked from S samples. */
export type SelectionRule = 'first-valid' | 'vote';

/** The answer picked from the samples and why. */
export interface Selection {
  /** Index of the picked sample. */
  index: number;
  answer: Answer;
  /** Whether the picked answer passes the checker. */
  valid: boolean;
  /** Samples sharing the picked answer's canonical key. */
  votes: number;
}

/**
 * Picks one answer. 'first-valid': the first sample the checker accepts, else sample 0.
 * 'vote': the most frequent canonical key over all samples, without the checker (ties go to
 * the key seen first), represented by its first sample.
 */
export function selectAnswer(
  judge: AnswerJudge,
  samples: readonly Answer[],
  rule: SelectionRule,
): Selection {
  if (samples.length === 0) throw new DataError('answer selection: no samples to choose from');
  const keys = samples.map((sample) => judge.key(sample));
  const tally = new Map<string, number>();
  for (const key of keys) tally.set(key, (tally.get(key) ?? 0) + 1);
  const votesFor = (key: string) => tally.get(key) ?? 0;
  let index = 0;
  if (rule === 'first-valid') {
    const firstValid = samples.findIndex((sample) => judge.isValid(sample));
    index = firstValid === -1 ? 0 : firstValid;
  } else {
    for (let i = 1; i < samples.length; i++) {
      if (votesFor(keys[i]) > votesFor(keys[index])) index = i;
    }
  }
  const answer = samples[index];
  return { index, answer, valid: judge.isValid(answer), votes: votesFor(keys[index]) };
}

/** Scores averaged over puzzles, with how many puzzles went in. */
export interface MeanAnswerScores extends AnswerScores {
  inputs: number;
}

/**
 * The mean of each score over puzzles. A `target*` score is averaged over the puzzles that
 * have it, and is null when none has.
 */
export function averageScores(scores: readonly AnswerScores[]): MeanAnswerScores {
  if (scores.length === 0) throw new DataError('average scores: no puzzles were scored');
  const meanOf = (pick: (s: AnswerScores) => number) => mean(scores.map(pick));
  const meanOrNull = (pick: (s: AnswerScores) => number | null) => {
    const present = scores.map(pick).filter((value): value is number => value !== null);
    return present.length === 0 ? null : mean(present);
  };
  return {
    inputs: scores.length,
    samples: meanOf((s) => s.samples),
    solutionCount: meanOf((s) => s.solutionCount),
    validRate: meanOf((s) => s.validRate),
    anyValid: meanOf((s) => s.anyValid),
    distinctValid: meanOf((s) => s.distinctValid),
    coverage: meanOf((s) => s.coverage),
    meanPairwiseHamming: meanOf((s) => s.meanPairwiseHamming),
    entropyBits: meanOf((s) => s.entropyBits),
    bestCellAccuracy: meanOf((s) => s.bestCellAccuracy),
    targetCellAccuracy: meanOrNull((s) => s.targetCellAccuracy),
    exactAccuracy: meanOf((s) => s.exactAccuracy),
    targetExactAccuracy: meanOrNull((s) => s.targetExactAccuracy),
  };
}
