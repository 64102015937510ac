// The sweep folder's files: key order does not decide whether two plans are the same, and a
// rerun with another plan is refused before anything is overwritten.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import { canonicalJson } from '../../src/json.js';
import {
  openSweepFolder, readSweepPlan, readSweepResults, type SweepPlan,
} from '../../src/report/sweep-folder.js';

let scratch: string;

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ltm-sweep-folder-'));
});

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** The same object with its keys inserted in reverse order, at every level. */
function reversed(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const entries = Object.entries(value as Record<string, unknown>).reverse();
  return Object.fromEntries(entries.map(([key, item]) => [key, reversed(item)]));
}

describe('canonicalJson', () => {
  it('should give the same text when only the key order differs, for any object', () => {
    fc.assert(fc.property(fc.object(), (value) => {
      expect(canonicalJson(reversed(value))).toBe(canonicalJson(value));
    }), { numRuns: 100 });
  });

  it('should give different text when a value differs', () => {
    expect(canonicalJson({ a: 1, b: [1, 2] })).not.toBe(canonicalJson({ a: 1, b: [2, 1] }));
  });
});

describe('openSweepFolder', () => {
  const plan = (perLayer: number[]): SweepPlan => ({
    base: resolveConfig(), grid: [{ path: 'latents.perLayer', values: perLayer }],
    cells: [], createdAt: 'then', packageVersion: '0',
  });

  it('should accept the same plan with keys reordered and refuse another grid', () => {
    const dir = path.join(scratch, 'plan');
    openSweepFolder(dir, plan([1, 2]));
    expect(fs.existsSync(path.join(dir, 'cells'))).toBe(true);
    const same = { ...plan([1, 2]), base: reversed(resolveConfig()) as SweepPlan['base'],
      createdAt: 'now' };
    expect(() => openSweepFolder(dir, same)).not.toThrow();
    expect(() => openSweepFolder(dir, plan([1, 4]))).toThrow(/another config or grid/);
    expect(readSweepPlan(dir)!.createdAt).toBe('then');
  });
});

describe('readSweepPlan', () => {
  it('should name the line and column when sweep.json is damaged', () => {
    const dir = path.join(scratch, 'damaged-plan');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'sweep.json');
    fs.writeFileSync(file, '{\n  "base": {},\n  "grid": [\n}\n');
    expect(() => readSweepPlan(dir)).toThrow(`${file}: not valid JSON at line 4, column 1, `
      + 'near \'}\': a missing value; the sweep folder is damaged');
  });
});

describe('readSweepResults', () => {
  let dir: string;
  const file = () => path.join(dir, 'results.jsonl');
  beforeAll(() => {
    dir = path.join(scratch, 'results');
    fs.mkdirSync(dir, { recursive: true });
  });

  it('should name the file\'s line and the column when a line within it is damaged', () => {
    fs.writeFileSync(file(), '{"name": "a"}\n\n{"name": "b" "steps": 4}\n{"name": "c"}\n');
    expect(() => readSweepResults(dir)).toThrow(`${file()}: line 3 is not valid JSON at `
      + 'column 14, near \'{"name": "b" "steps": 4}\': a missing \',\' before this; '
      + 'delete that line to run its cell again');
  });

  it('should drop the last line when a crash cut it short', () => {
    fs.writeFileSync(file(), '{"name": "a"}\n{"name": "b", "ste');
    expect(readSweepResults(dir).map((result) => result.name)).toEqual(['a']);
  });
});
