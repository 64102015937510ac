// A corpus of real text: each split's documents joined by a blank line and tokenized once;
// training batches are random crops, held-out sets evenly spaced windows.
import { DataError } from '../errors.js';
import type { Rng } from '../random.js';
import type {
  Corpus, CorpusSummary, HeldOutSet, HeldOutSplit, SplitName, SplitSize,
} from './corpus.js';
import type { TextDocument } from './files.js';
import { entropyBits } from './metrics.js';
import type { SplitDocuments } from './splits.js';
import { END_OF_TEXT, type Tokenizer } from './tokenizer.js';

/** Token ids in the narrowest array that holds the vocabulary. */
type TokenArray = Uint8Array | Uint16Array | Int32Array;

interface EncodedSplit {
  tokens: TokenArray;
  /** Where the split's text came from, for messages. */
  origin: string;
  size: SplitSize;
  /** How often each byte value occurs in the split's text, [256]. */
  byteCounts: Float64Array;
}

const DOCUMENT_SEPARATOR = '\n\n';

function checkReservedText(documents: TextDocument[], tokenizer: Tokenizer): void {
  if (tokenizer.name !== 'gpt2') return;
  const offender = documents.find((document) => document.text.includes(END_OF_TEXT));
  if (offender) {
    throw new DataError(
      `${offender.source}: contains the literal ${END_OF_TEXT}, which the gpt2 tokenizer `
        + 'reserves for its separator token; remove it from the text or set data.tokenizer '
        + 'to "bytes"',
    );
  }
}

function encodeSplit(documents: TextDocument[], tokenizer: Tokenizer): EncodedSplit {
  checkReservedText(documents, tokenizer);
  const text = documents.map((document) => document.text).join(DOCUMENT_SEPARATOR);
  const bytes = Buffer.from(text, 'utf8');
  const byteCounts = new Float64Array(256);
  for (let i = 0; i < bytes.length; i++) byteCounts[bytes[i]]++;

  // Bytes are their own tokens: no second pass over the text.
  let tokens: TokenArray = bytes;
  if (tokenizer.name !== 'bytes') {
    const ids = tokenizer.encode(text);
    tokens = tokenizer.vocabSize <= 65536 ? Uint16Array.from(ids) : Int32Array.from(ids);
  }
  const size = { documents: documents.length, tokens: tokens.length, bytes: bytes.length };
  return { tokens, origin: originOf(documents), size, byteCounts };
}

/** The source of a split's text as a message names it: one file, or the first of several. */
function originOf(documents: TextDocument[]): string {
  if (documents.length === 0) return 'no documents';
  const [first] = documents;
  return documents.length === 1 ? first.source
    : `${documents.length} documents, the first ${first.source}`;
}

/** Throws unless a split holds at least one whole window of `sequenceLength + 1` tokens. */
function checkSplitLength(
  split: SplitName,
  encoded: EncodedSplit,
  sequenceLength: number,
  fix: string,
): void {
  const needed = sequenceLength + 1;
  if (encoded.tokens.length < needed) {
    throw new DataError(
      `data: the ${split} split has ${encoded.tokens.length} tokens `
        + `(${encoded.origin}), fewer than one sequence of `
        + `model.sequenceLength + 1 = ${needed}; ${fix}, or lower model.sequenceLength`,
    );
  }
}

function checkWindow(what: string, count: number, length: number): void {
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(length) || length < 2) {
    throw new DataError(
      `${what}: count ${count} and length ${length} must be integers, count >= 1 and `
        + 'length >= 2 (one token of context, one to predict)',
    );
  }
}

function sampleCrops(tokens: TokenArray, rng: Rng, batchSize: number, length: number) {
  checkWindow('sampleTrainBatch', batchSize, length);
  if (length > tokens.length) {
    throw new DataError(
      `sampleTrainBatch: crops of ${length} tokens do not fit the ${tokens.length}-token `
        + 'training split; ask for shorter sequences',
    );
  }
  const batch = new Int32Array(batchSize * length); // [B, length]
  for (let row = 0; row < batchSize; row++) {
    const start = rng.int(tokens.length - length + 1);
    batch.set(tokens.subarray(start, start + length), row * length);
  }
  return batch;
}

function windows(
  encoded: EncodedSplit,
  split: HeldOutSplit,
  request: { count: number; length: number },
  tokenizer: Tokenizer,
): HeldOutSet {
  const { count, length } = request;
  checkWindow(`heldOut(${split})`, count, length);
  const available = Math.floor(encoded.tokens.length / length);
  if (available === 0) {
    throw new DataError(
      `heldOut: the ${split} split has ${encoded.tokens.length} tokens, less than one window `
        + `of ${length}; ask for shorter windows or give the split more text`,
    );
  }

  // Evenly spaced starts; stride >= length, so windows never overlap.
  const rows = Math.min(count, available);
  const stride = Math.floor(encoded.tokens.length / rows);
  const tokens = new Int32Array(rows * length); // [count, length]
  let bytes = 0;
  for (let row = 0; row < rows; row++) {
    const window = encoded.tokens.subarray(row * stride, row * stride + length);
    tokens.set(window, row * length);
    bytes += tokenizer.byteLength(window.subarray(1));
  }
  return { tokens, count: rows, length, bytes };
}

/** What to change when a split is too short, per corpus kind and split. */
function shortSplitFix(kind: 'sotu' | 'text' | 'jsonl', split: SplitName): string {
  if (kind === 'sotu') {
    return 'move data.trainUntilYear or data.validUntilYear so the split spans more years';
  }
  // validFraction sizes the validation and test splits; the training split gets the rest.
  const share = split === 'train' ? 'lower' : 'raise';
  return `${share} data.validFraction or give data.path more ${kind === 'text' ? 'text'
    : 'lines'}`;
}

/** A corpus over real text, given its documents per split. */
export function createTextCorpus(
  kind: 'sotu' | 'text' | 'jsonl',
  documents: SplitDocuments,
  tokenizer: Tokenizer,
  sequenceLength: number,
): Corpus {
  const encoded = {
    train: encodeSplit(documents.train, tokenizer),
    valid: encodeSplit(documents.valid, tokenizer),
    test: encodeSplit(documents.test, tokenizer),
  };
  for (const split of ['train', 'valid', 'test'] as const) {
    checkSplitLength(split, encoded[split], sequenceLength, shortSplitFix(kind, split));
  }
  const summary: CorpusSummary = {
    train: encoded.train.size,
    valid: encoded.valid.size,
    test: encoded.test.size,
    generated: false,
  };
  return {
    kind,
    tokenizer,
    vocabSize: tokenizer.vocabSize,
    summary,
    sampleTrainBatch: (rng, batchSize, length) =>
      sampleCrops(encoded.train.tokens, rng, batchSize, length),
    heldOut: (split, count, length) => windows(encoded[split], split, { count, length },
      tokenizer),
    unigramEntropyBitsPerByte: (split) => entropyBits(encoded[split].byteCounts),
  };
}
