// A few lines that say what a corpus holds, for logs and run folders (the caller prints).
import type { Corpus, SplitSize } from './corpus.js';

function sizeLine(name: string, size: SplitSize): string {
  const megabytes = (size.bytes / 1e6).toFixed(2);
  return `  ${name}: ${size.documents.toLocaleString('en-US')} documents, `
    + `${size.tokens.toLocaleString('en-US')} tokens, ${megabytes} MB`;
}

/** What the corpus is, its tokenizer and vocabulary, and the size of each split. */
export function describeCorpus(corpus: Corpus): string {
  const { summary } = corpus;
  const head = `corpus ${corpus.kind}, tokenizer ${corpus.tokenizer.name} `
    + `(V = ${corpus.vocabSize})`;
  const pool = summary.train.documents;
  const train = !summary.generated ? sizeLine('train', summary.train)
    : pool > 0 ? `  train: a fixed set of ${pool.toLocaleString('en-US')} generated sequences`
      : '  train: fresh sequences for every batch (one byte per symbol)';
  return [head, train, sizeLine('valid', summary.valid), sizeLine('test', summary.test)]
    .join('\n');
}
