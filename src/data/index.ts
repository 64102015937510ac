// The data layer: corpora, tokenizers, batches, held-out sets and exact synthetic references.
export type {
  Corpus, CorpusSummary, HeldOutSet, HeldOutSplit, SplitName, SplitSize,
} from './corpus.js';
export { loadCorpus } from './load.js';
export { describeCorpus } from './describe.js';
export {
  bytesTokenizer, createTokenizer, END_OF_TEXT, gpt2Tokenizer, symbolsTokenizer,
} from './tokenizer.js';
export type { Tokenizer } from './tokenizer.js';
export {
  createHiddenTopicCorpus, generateSequences, isHiddenTopicCorpus, sampleTables,
} from './hiddenTopic.js';
export type { HiddenTopicCorpus, LabelledBatch } from './hiddenTopic.js';
export {
  generateTree, hierarchyEntropyBits, parentTables, parseTokens, sampleGrammar, sequenceTokens,
} from './hierarchy.js';
export type { Grammar, HierarchyShape, SymbolLevels } from './hierarchy.js';
export { createHierarchyCorpus, isHierarchyCorpus, treesPerWindow } from './hierarchyCorpus.js';
export type { HierarchyCorpus } from './hierarchyCorpus.js';
export { hiddenTopicReferences } from './references.js';
export type { HiddenTopicReferences } from './references.js';
export { bitsPerByte, entropyBits, receptiveField, scoreUnit } from './metrics.js';
export { sampleDirichlet, sampleLogGamma } from './dirichlet.js';
export type { TextDocument } from './files.js';
