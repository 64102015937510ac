import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import {
  bytesTokenizer, createTokenizer, END_OF_TEXT, gpt2Tokenizer, symbolsTokenizer,
} from '../../src/data/tokenizer.js';

describe('bytesTokenizer', () => {
  const tokenizer = bytesTokenizer();

  it('should round-trip any well-formed string when encoded to UTF-8 bytes and back', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
      const tokens = tokenizer.encode(text);
      expect(tokens.every((token) => token >= 0 && token < 256)).toBe(true);
      expect(tokenizer.byteLength(tokens)).toBe(Buffer.byteLength(text, 'utf8'));
      expect(tokenizer.decode(tokens)).toBe(text);
    }));
  });

  it('should keep a leading byte-order mark when it round-trips', () => {
    expect(tokenizer.decode(tokenizer.encode('\uFEFFhi'))).toBe('\uFEFFhi');
  });

  it('should decode any byte sequence without throwing when multi-byte characters are cut', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 64 }),
      (bytes) => typeof tokenizer.decode(bytes) === 'string'));
    const euro = tokenizer.encode('€'); // three bytes
    expect(tokenizer.decode(euro.slice(0, 2))).toBe('\uFFFD');
    expect(tokenizer.decode([...tokenizer.encode('a'), ...euro.slice(0, 1)])).toBe('a\uFFFD');
  });

  it('should throw DataError when a token is not a byte', () => {
    expect(() => tokenizer.decode([65, 256])).toThrow(DataError);
    expect(() => tokenizer.decode([-1])).toThrow(/outside the vocabulary \[0, 256\)/);
  });

  it('should have 256 symbols when created by name', () => {
    expect(createTokenizer('bytes').vocabSize).toBe(256);
  });
});

describe('gpt2Tokenizer', () => {
  const tokenizer = gpt2Tokenizer();

  it('should give the GPT-2 ids and vocabulary size when encoding English', () => {
    expect(tokenizer.vocabSize).toBe(50257);
    expect(tokenizer.encode('Hello world')).toEqual([15496, 995]);
    expect(createTokenizer('gpt2').name).toBe('gpt2');
  });

  it('should round-trip English text when encoded and decoded', () => {
    const text = 'Fellow-Citizens of the Senate and House of Representatives:\n\n'
      + 'In meeting you again I feel much satisfaction, 1790.';
    const tokens = tokenizer.encode(text);
    expect(tokens.length).toBeLessThan(text.length / 2);
    expect(tokenizer.decode(tokens)).toBe(text);
  });

  it('should count the UTF-8 bytes of the text when summing its tokens\' bytes', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
      fc.pre(!text.includes(END_OF_TEXT));
      const tokens = tokenizer.encode(text);
      expect(tokenizer.byteLength(tokens)).toBe(Buffer.byteLength(text, 'utf8'));
      expect(tokenizer.decode(tokens)).toBe(text);
    }), { numRuns: 50 });
  });

  it('should throw DataError naming the fix when the text holds <|endoftext|>', () => {
    expect(() => tokenizer.encode(`before ${END_OF_TEXT} after`)).toThrow(DataError);
    expect(() => tokenizer.encode(END_OF_TEXT)).toThrow(/data\.tokenizer to "bytes"/);
  });

  it('should throw DataError when a token id is outside the vocabulary', () => {
    expect(() => tokenizer.decode([50257])).toThrow(DataError);
  });
});

describe('symbolsTokenizer', () => {
  it('should round-trip every symbol id when the alphabet is the largest allowed', () => {
    const tokenizer = symbolsTokenizer(256);
    const ids = Array.from({ length: 256 }, (_, id) => id);
    const text = tokenizer.decode(ids);
    expect([...text]).toHaveLength(256);
    expect(tokenizer.encode(text)).toEqual(ids);
    expect(tokenizer.byteLength(ids)).toBe(256);
  });

  it('should throw DataError when a character is not a symbol of the alphabet', () => {
    expect(symbolsTokenizer(4).decode([0, 1, 2, 3])).toBe('abcd');
    expect(() => symbolsTokenizer(4).encode('abe')).toThrow(DataError);
    expect(() => symbolsTokenizer(4).decode([4])).toThrow(DataError);
  });
});
