// One entry point from the config's `data` section to a ready corpus.
import path from 'node:path';
import type { Config } from '../config/index.js';
import { DataError } from '../errors.js';
import type { Corpus } from './corpus.js';
import { readJsonLines, readTextFile, readTextFolder, statPath } from './files.js';
import { createHiddenTopicCorpus } from './hiddenTopic.js';
import { createHierarchyCorpus } from './hierarchyCorpus.js';
import {
  type SplitDocuments, splitByDocument, splitByPosition, splitSotu,
} from './splits.js';
import { createTextCorpus } from './textCorpus.js';
import { createTokenizer } from './tokenizer.js';

/** Documents per split for kind text: a folder splits by file, a single file by position. */
function textSplits(data: Config['data']): SplitDocuments {
  const target = path.resolve(data.path);
  if (statPath(data.path, 'text').isDirectory()) {
    return splitByDocument(readTextFolder(target), data.validFraction, target);
  }
  return splitByPosition({ source: target, text: readTextFile(target) }, data.validFraction);
}

function jsonlSplits(data: Config['data']): SplitDocuments {
  const target = path.resolve(data.path);
  if (statPath(data.path, 'jsonl').isDirectory()) {
    throw new DataError(`${target}: is a folder, but kind "jsonl" reads one file; set data.path `
      + 'to a .jsonl file, or set data.kind to "text" for a folder of text files');
  }
  return splitByDocument(readJsonLines(target, data.jsonlField), data.validFraction, target);
}

/**
 * The corpus a config's `data` section describes, checked so every split holds at least one
 * training sequence of `sequenceLength + 1` tokens (model.sequenceLength).
 */
export function loadCorpus(data: Config['data'], sequenceLength: number): Corpus {
  if (data.kind === 'hidden-topic') return createHiddenTopicCorpus(data, sequenceLength);
  if (data.kind === 'hierarchy') return createHierarchyCorpus(data, sequenceLength);
  const tokenizer = createTokenizer(data.tokenizer);
  const documents = data.kind === 'sotu'
    ? splitSotu(data.trainUntilYear, data.validUntilYear)
    : data.kind === 'text' ? textSplits(data) : jsonlSplits(data);
  return createTextCorpus(data.kind, documents, tokenizer, sequenceLength);
}
