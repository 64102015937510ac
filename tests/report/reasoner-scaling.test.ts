// The reason-scaling.json format: a file as documented is read back whole, and each kind of
// mistake is refused with the file, the entry and the field named.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { parseReasonScaling, readReasonScaling } from '../../src/report/reasoner-scaling.js';
import { reasonScaling } from './reason-scaling-sample.js';

const file = 'run/reason-scaling.json';

describe('parseReasonScaling', () => {
  it('should return the points and the baseline when the file follows the format', () => {
    const parsed = parseReasonScaling(reasonScaling, file);
    expect(parsed.width.map((point) => point.samples)).toEqual([1, 4, 16]);
    expect(parsed.depth[2]).toEqual({ rounds: 4, coverage: 0.5, validRate: 0.5,
      exactAccuracy: 0.5, entropyBits: 1 });
    expect(parsed.deterministic?.validRate).toBe(0.625);
  });

  it('should give an empty depth curve when only width is written', () => {
    const parsed = parseReasonScaling({ width: reasonScaling.width }, file);
    expect(parsed.depth).toEqual([]);
  });

  it('should refuse a percentage when a rate must be a fraction', () => {
    const width = [reasonScaling.width[0], { ...reasonScaling.width[1], coverage: 45 }];
    expect(() => parseReasonScaling({ width }, file))
      .toThrow(`${file}: width[1].coverage: 45 is not a fraction in [0, 1]`);
  });

  it('should refuse a missing rate and a count of no samples', () => {
    const { validRate: _, ...noValid } = reasonScaling.depth[0];
    expect(() => parseReasonScaling({ depth: [noValid] }, file))
      .toThrow(`${file}: depth[0].validRate: undefined is not a fraction`);
    expect(() => parseReasonScaling({ width: [{ ...reasonScaling.width[0], samples: 0 }] }, file))
      .toThrow(`${file}: width[0].samples: 0 is not a whole number of at least 1`);
  });

  it('should refuse a file with neither curve, or one that is not an object', () => {
    expect(() => parseReasonScaling({ task: 'x' }, file)).toThrow(DataError);
    expect(() => parseReasonScaling([], file)).toThrow(/must be a JSON object/);
    expect(() => parseReasonScaling({ width: {} }, file)).toThrow(/width: must be an array/);
  });
});

describe('readReasonScaling', () => {
  it('should name the line and column when the file is not valid JSON', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ltm-reason-scaling-'));
    const broken = path.join(dir, 'reason-scaling.json');
    fs.writeFileSync(broken,
      '{"width": [\n  {"samples": 1, "coverage": 0.5}\n  {"samples": 4}\n]}');
    expect(() => readReasonScaling(dir)).toThrow(`${broken}: not valid JSON at line 3, column 3, `
      + 'near \'{"samples": 4}\': a missing \',\' before this; rewrite it from the '
      + 'reasoner\'s evaluation');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
