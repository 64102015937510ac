import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/index.js';
import { DataError } from '../../src/errors.js';
import { createRng } from '../../src/random.js';
import { loadCorpus } from '../../src/data/load.js';
import { splitByDocument, splitByPosition } from '../../src/data/splits.js';

const defaults: Config['data'] = {
  kind: 'text', path: '', jsonlField: 'text', tokenizer: 'bytes', trainUntilYear: 1980,
  validUntilYear: 2000, validFraction: 0.1, topics: 16, alphabet: 32, concentration: 0.1,
  tableSeed: 12345, heldOutSequences: 512, depth: 3, vocab: 8, rules: 2, branching: 2,
  rulesSeed: 2024, trainSequences: 0,
};

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'latent-thought-data-'));
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

/** Writes a file under the temp folder and returns its path. */
function put(name: string, content: string | Uint8Array): string {
  const file = path.join(root, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

const prose = (words: number) =>
  Array.from({ length: words }, (_, i) => `word${i % 97}`).join(' ');

/** The DataError message loading `data` throws; fails the test when nothing is thrown. */
function loadError(data: Partial<Config['data']>, sequenceLength = 16): string {
  try {
    loadCorpus({ ...defaults, ...data }, sequenceLength);
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return (error as Error).message;
  }
  throw new Error('expected a DataError');
}

describe('splitting text', () => {
  it('should hold out the last fifth of a file, valid then test, for validFraction 0.1', () => {
    const text = 'abcdefghij'.repeat(10);
    const splits = splitByPosition({ source: 'f', text }, 0.1);
    expect(splits.train[0].text).toBe(text.slice(0, 80));
    expect(splits.valid[0].text).toBe(text.slice(80, 90));
    expect(splits.test[0].text).toBe(text.slice(90));
  });

  it('should not cut a surrogate pair when the split point falls inside one', () => {
    const text = 'a😀😀😀😀'; // 9 UTF-16 units
    const splits = splitByPosition({ source: 'f', text }, 0.3);
    const parts = [splits.train, splits.valid, splits.test].map((s) => s[0].text);
    expect(parts.join('')).toBe(text);
    expect(parts.every((part) => !/[\uD800-\uDBFF]$/.test(part))).toBe(true);
  });

  it('should hold out evenly spaced documents, alternately valid and test, of 10', () => {
    const documents = Array.from({ length: 10 }, (_, i) => ({ source: `d${i}`, text: `${i}` }));
    const splits = splitByDocument(documents, 0.1, 'folder');
    expect(splits.valid.map((d) => d.source)).toEqual(['d3']);
    expect(splits.test.map((d) => d.source)).toEqual(['d6']);
    expect(splits.train).toHaveLength(8);
    const wide = splitByDocument(documents, 0.5, 'folder');
    expect([wide.train.length, wide.valid.length, wide.test.length]).toEqual([2, 4, 4]);
  });
});

describe('loading a text file, a folder and JSON lines', () => {
  it('should split a single file by position when data.path is a file', () => {
    const file = put('one.txt', prose(400));
    const corpus = loadCorpus({ ...defaults, path: file }, 16);
    const bytes = Buffer.byteLength(prose(400));
    const { train, valid, test } = corpus.summary;
    expect(train.bytes + valid.bytes + test.bytes).toBe(bytes);
    expect(valid.bytes).toBeCloseTo(bytes * 0.1, -1);
    expect(corpus.kind).toBe('text');
  });

  it('should read nested .txt and .md files in sorted order when data.path is a folder', () => {
    for (let i = 0; i < 6; i++) {
      put(`books/part${i % 2}/doc${i}.${i % 2 ? 'md' : 'txt'}`, prose(50));
    }
    put('books/skip.bin', 'not text at all');
    const corpus = loadCorpus({ ...defaults, path: path.join(root, 'books') }, 16);
    const { train, valid, test } = corpus.summary;
    expect([train.documents, valid.documents, test.documents]).toEqual([4, 1, 1]);
  });

  it('should make one document per JSON line when kind is jsonl', () => {
    const lines = Array.from({ length: 10 }, (_, i) => JSON.stringify({ body: prose(30 + i) }));
    const file = put('lines.jsonl', `${lines.join('\n')}\n\n`);
    const corpus = loadCorpus({ ...defaults, kind: 'jsonl', path: file, jsonlField: 'body' }, 16);
    expect(corpus.summary.train.documents).toBe(8);
    const batch = corpus.sampleTrainBatch(createRng(1), 4, 17);
    expect(batch).toHaveLength(4 * 17);
  });

  it('should count the bytes of the scored tokens when the tokenizer is gpt2', () => {
    const file = put('gpt2.txt', 'The quick brown fox jumps over the lazy dog. '.repeat(80));
    const corpus = loadCorpus({ ...defaults, path: file, tokenizer: 'gpt2' }, 8);
    const set = corpus.heldOut('valid', 5, 9);
    let expected = 0;
    for (let row = 0; row < set.count; row++) {
      const scored = Array.from(set.tokens.subarray(row * 9 + 1, (row + 1) * 9));
      expected += Buffer.byteLength(corpus.tokenizer.decode(scored));
    }
    expect(set.count).toBe(5);
    expect(set.bytes).toBe(expected);
    expect(corpus.vocabSize).toBe(50257);
  });
});

describe('bad inputs', () => {
  it('should say data.path does not exist when the path is missing', () => {
    expect(loadError({ path: path.join(root, 'nowhere.txt') }))
      .toMatch(/data\.path: .*nowhere\.txt does not exist/);
  });

  it('should ask for data.path when it is empty', () => {
    expect(loadError({ path: '' })).toMatch(/data\.path is empty/);
    expect(loadError({ kind: 'jsonl', path: '' })).toMatch(/\.jsonl file/);
  });

  it('should name the empty file when the file has no bytes', () => {
    const file = put('empty.txt', '');
    expect(loadError({ path: file })).toContain(`${file}: the file is empty`);
  });

  it('should say the folder holds no text files when it has none', () => {
    put('nothing/data.bin', 'x');
    expect(loadError({ path: path.join(root, 'nothing') })).toMatch(/no \.txt or \.md files/);
  });

  it('should call a file binary when it holds a NUL byte', () => {
    const file = put('image.txt', Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x00, 0x01));
    expect(loadError({ path: file })).toMatch(/image\.txt: byte 4 is NUL.*binary/);
  });

  it('should reject invalid UTF-8 naming the file when the bytes are Latin-1', () => {
    const file = put('latin1.txt', Uint8Array.of(0x63, 0x61, 0x66, 0xe9, 0x20, 0x6f, 0x6b));
    expect(loadError({ path: file })).toMatch(/latin1\.txt: not valid UTF-8/);
  });

  it('should name the split and sequenceLength when a split is shorter than one sequence', () => {
    const file = put('short.txt', prose(40));
    const message = loadError({ path: file }, 64);
    expect(message).toMatch(/the valid split has \d+ tokens/);
    expect(message).toContain('model.sequenceLength + 1 = 65');
  });

  it('should name the document when <|endoftext|> meets the gpt2 tokenizer', () => {
    const file = put('special.txt', `${prose(100)} <|endoftext|> ${prose(100)}`);
    expect(loadError({ path: file, tokenizer: 'gpt2' })).toMatch(/special\.txt.*<\|endoftext\|>/);
    expect(() => loadCorpus({ ...defaults, path: file }, 16)).not.toThrow();
  });

  it('should name the file and line when a JSON line does not parse', () => {
    const file = put('broken.jsonl', `{"text": "fine"}\n{"text": oops}\n`);
    expect(loadError({ kind: 'jsonl', path: file })).toBe(`${file}:2: not valid JSON at `
      + 'column 10, near \'{"text": oops}\': the bare word \'oops\'; fix or remove the line: put '
      + 'text in double quotes; unquoted, JSON allows only numbers, true, false, null');
  });

  it('should name the record\'s line and column when a CRLF JSON-lines file breaks', () => {
    const file = put('crlf.jsonl', '\uFEFF{"text": "a"}\r\n\r\n{"text": "b",}\r\n');
    expect(loadError({ kind: 'jsonl', path: file }))
      .toContain(`${file}:3: not valid JSON at column 14, near '{"text": "b",}': a comma right `
        + 'before \'}\'');
  });

  it('should name the field when a JSON line lacks it or holds no string', () => {
    const missing = put('missing.jsonl', '{"text": "a"}\n{"body": "b"}\n');
    expect(loadError({ kind: 'jsonl', path: missing }))
      .toMatch(/missing\.jsonl:2: .*no field "text".*data\.jsonlField/);
    const number = put('number.jsonl', '{"text": 5}\n');
    expect(loadError({ kind: 'jsonl', path: number }))
      .toContain(':1: field "text" is a number, not a string');
    const array = put('array.jsonl', '["text"]\n');
    expect(loadError({ kind: 'jsonl', path: array })).toContain(':1: expected a JSON object');
  });

  it('should ask for a file when kind jsonl is given a folder', () => {
    put('folder/a.jsonl', '{"text": "a"}\n');
    expect(loadError({ kind: 'jsonl', path: path.join(root, 'folder') })).toMatch(/is a folder/);
  });

  it('should ask for more documents when a folder has fewer than three', () => {
    put('pair/a.txt', prose(100));
    put('pair/b.txt', prose(100));
    expect(loadError({ path: path.join(root, 'pair') })).toMatch(/2 document\(s\).*one each/);
  });
});
