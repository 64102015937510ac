// Sampling in one import: answer diversity scores and the recursive reasoner.
export {
  averageScores, entropyBits, judgeFor, meanPairwiseDistance, scoreAnswers, selectAnswer,
} from './diversity.js';
export type {
  AnswerJudge, AnswerScores, MeanAnswerScores, ScoredAnswers, Selection, SelectionRule,
} from './diversity.js';
export * from './reasoner/index.js';
