// Tokenizers: UTF-8 bytes (no vocabulary file, any language), GPT-2 byte-pair encoding, and
// the plain symbols of the synthetic corpus. Each also says how many bytes its tokens stand for.
import { createRequire } from 'node:module';
import { DataError } from '../errors.js';

/** Turns text into token ids in [0, vocabSize) and back. */
export interface Tokenizer {
  name: 'bytes' | 'gpt2' | 'symbols';
  vocabSize: number;
  encode(text: string): number[];
  /** Never throws on a cut multi-byte character; an id outside the vocabulary is a DataError. */
  decode(tokens: readonly number[]): string;
  /** The UTF-8 bytes these tokens stand for, the denominator of bits per byte. */
  byteLength(tokens: ArrayLike<number>): number;
}

/** GPT-2 reserves this text for its one special token; plain encoding refuses it. */
export const END_OF_TEXT = '<|endoftext|>';

function checkIds(tokens: ArrayLike<number>, vocabSize: number, name: string): void {
  for (let i = 0; i < tokens.length; i++) {
    const id = tokens[i];
    if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
      throw new DataError(
        `${name} tokenizer: token ${id} at index ${i} is outside the vocabulary `
          + `[0, ${vocabSize}); decode only ids this tokenizer produced`,
      );
    }
  }
}

// ignoreBOM keeps a leading U+FEFF, so every well-formed string survives a round trip.
const lenientDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** UTF-8 bytes, V = 256. A cut multi-byte character decodes to U+FFFD. */
export function bytesTokenizer(): Tokenizer {
  return {
    name: 'bytes',
    vocabSize: 256,
    encode: (text) => Array.from(Buffer.from(text, 'utf8')),
    decode: (tokens) => {
      checkIds(tokens, 256, 'bytes');
      return lenientDecoder.decode(Uint8Array.from(tokens));
    },
    byteLength: (tokens) => tokens.length,
  };
}

type Gpt2Module = typeof import('gpt-tokenizer/encoding/gpt2');
type RanksModule = typeof import('gpt-tokenizer/bpeRanks/r50k_base');

// NOTE: loaded on first use: the vocabulary costs ~0.1 s, which byte-level runs never pay.
let gpt2Module: Gpt2Module | undefined;
let gpt2ByteLengths: Uint8Array | undefined;

function loadGpt2(): Gpt2Module {
  gpt2Module ??= createRequire(import.meta.url)('gpt-tokenizer/encoding/gpt2') as Gpt2Module;
  return gpt2Module;
}

/** Bytes per GPT-2 token id; the end-of-text id stands for no text and counts 0. */
function gpt2TokenBytes(): Uint8Array {
  if (gpt2ByteLengths) return gpt2ByteLengths;
  const ranks = (createRequire(import.meta.url)('gpt-tokenizer/bpeRanks/r50k_base') as
    RanksModule).default;
  const lengths = new Uint8Array(loadGpt2().vocabularySize);
  ranks.forEach((entry, id) => {
    lengths[id] = typeof entry === 'string' ? Buffer.byteLength(entry, 'utf8') : entry.length;
  });
  gpt2ByteLengths = lengths;
  return lengths;
}

/** GPT-2 byte-pair encoding (the r50k vocabulary), V = 50257. */
export function gpt2Tokenizer(): Tokenizer {
  const gpt2 = loadGpt2();
  const vocabSize = gpt2.vocabularySize;
  return {
    name: 'gpt2',
    vocabSize,
    encode: (text) => {
      if (text.includes(END_OF_TEXT)) {
        throw new DataError(
          `gpt2 tokenizer: the text contains the literal ${END_OF_TEXT}, which GPT-2 reserves `
            + 'for its separator token; remove it from the text or set data.tokenizer to "bytes"',
        );
      }
      return gpt2.encode(text);
    },
    decode: (tokens) => {
      checkIds(tokens, vocabSize, 'gpt2');
      return gpt2.decode(tokens);
    },
    byteLength: (tokens) => {
      const lengths = gpt2TokenBytes();
      let total = 0;
      for (let i = 0; i < tokens.length; i++) total += lengths[tokens[i]];
      return total;
    },
  };
}

/** The printable character of each symbol id: letters and digits first, then Latin letters. */
export function symbolCharacter(id: number): string {
  const simple = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return id < simple.length ? simple[id] : String.fromCodePoint(0x100 + id - simple.length);
}

/**
 * One printable character per symbol of an `alphabet`-sized synthetic vocabulary, so samples
 * can be read. By convention each symbol counts as one byte: bits per byte = bits per token.
 */
export function symbolsTokenizer(alphabet: number): Tokenizer {
  const ids = new Map<string, number>();
  for (let id = 0; id < alphabet; id++) ids.set(symbolCharacter(id), id);
  return {
    name: 'symbols',
    vocabSize: alphabet,
    encode: (text) => Array.from(text, (character, index) => {
      const id = ids.get(character);
      if (id === undefined) {
        throw new DataError(
          `symbols tokenizer: character ${JSON.stringify(character)} at ${index} is not one of `
            + `the ${alphabet} symbols; encode only text this tokenizer decoded`,
        );
      }
      return id;
    }),
    decode: (tokens) => {
      checkIds(tokens, alphabet, 'symbols');
      return tokens.map(symbolCharacter).join('');
    },
    byteLength: (tokens) => tokens.length,
  };
}

/** The tokenizer a config names in `data.tokenizer`. */
export function createTokenizer(name: 'bytes' | 'gpt2'): Tokenizer {
  return name === 'gpt2' ? gpt2Tokenizer() : bytesTokenizer();
}
