// Reading a run folder back: a damaged config, meta or JSON-lines file is refused with the file,
// the line and the column, while a last line cut short by a crash is quietly dropped.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import { CheckpointError } from '../../src/errors.js';
import { readJsonLines, readRun } from '../../src/train/run-folder.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ltm-run-folder-'));
let dir: string;
let count = 0;

beforeEach(() => {
  count += 1;
  dir = path.join(scratch, `run-${count}`);
  fs.mkdirSync(dir);
});

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

const write = (file: string, text: string) => fs.writeFileSync(path.join(dir, file), text);

describe('readJsonLines', () => {
  it('should drop the last line when a crash cut it short', () => {
    write('metrics.jsonl', '{"step": 1}\n{"step": 2}\n{"step": 3, "lo');
    expect(readJsonLines(dir, 'metrics.jsonl')).toEqual([{ step: 1 }, { step: 2 }]);
  });

  it('should name the line and column when a line before the last is damaged', () => {
    write('metrics.jsonl', '{"step": 1}\n{"step": 2, "loss": nan}\n{"step": 3}\n');
    const file = path.join(dir, 'metrics.jsonl');
    expect(() => readJsonLines(dir, 'metrics.jsonl')).toThrow(new CheckpointError(`${file}:2: `
      + 'not valid JSON at column 21, near \'{"step": 2, "loss": nan}\': the bare word \'nan\'; '
      + 'the run folder is damaged: remove that line'));
  });
});

describe('readRun', () => {
  it('should name the line and column when config.json is damaged', () => {
    write('config.json', '{\n  "model": {"width": 8\n}\n');
    expect(() => readRun(dir)).toThrow(`${path.join(dir, 'config.json')}: not valid JSON at `
      + 'line 3, column 2, near \'}\': the text ends with \'}\' still to close; the run folder '
      + 'is damaged');
  });

  it('should name the line and column and say to delete meta.json when it is damaged', () => {
    write('config.json', JSON.stringify(resolveConfig()));
    write('meta.json', '{"name": "x",\n "seed": 1,,\n}');
    expect(() => readRun(dir)).toThrow(`${path.join(dir, 'meta.json')}: not valid JSON at line 2, `
      + 'column 12, near \'"seed": 1,,\': a missing property name; the run folder '
      + 'is damaged: delete meta.json');
  });

  it('should read both files when they start with a byte order mark', () => {
    write('config.json', `\uFEFF${JSON.stringify(resolveConfig({ train: { steps: 9 } }))}`);
    write('meta.json', '\uFEFF{"name": "marked"}');
    const { config, meta } = readRun(dir);
    expect(config.train.steps).toBe(9);
    expect(meta.name).toBe('marked');
  });
});
