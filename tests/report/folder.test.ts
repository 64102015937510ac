// Reading a run folder for a report: a damaged JSON file is refused with its line and column.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { readRunRecord } from '../../src/report/folder.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ltm-report-folder-'));

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('readRunRecord', () => {
  it('should name the file, line and column when an evaluation file is damaged', () => {
    fs.writeFileSync(path.join(dir, 'config.json'), '{}\n');
    const evaluation = path.join(dir, 'eval-valid.json');
    fs.writeFileSync(evaluation, '{"nllBitsPerByte": 1.2,\n "klBitsPerByte": }\n');
    expect(() => readRunRecord(dir)).toThrow(DataError);
    expect(() => readRunRecord(dir)).toThrow(`${evaluation}: not valid JSON at line 2, column 19, `
      + 'near \'"klBitsPerByte": }\': a missing value; the folder is damaged');
  });
});
