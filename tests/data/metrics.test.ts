import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { bitsPerByte, entropyBits, receptiveField, scoreUnit } from '../../src/data/metrics.js';

describe('bitsPerByte', () => {
  it('should turn ln 2 nats per token into 1 bit per byte when tokens are bytes', () => {
    expect(bitsPerByte(Math.LN2, 100, 100)).toBeCloseTo(1, 12);
  });

  it('should spread the cost over the bytes when a token stands for several', () => {
    expect(bitsPerByte(2 * Math.LN2, 10, 40)).toBeCloseTo(0.5, 12);
  });

  it('should throw DataError when there are no bytes', () => {
    expect(() => bitsPerByte(1, 1, 0)).toThrow(DataError);
  });
});

describe('entropyBits', () => {
  it('should give log2 n for n equal counts and 0 for a single value', () => {
    expect(entropyBits([3, 3, 3, 3])).toBeCloseTo(2, 12);
    expect(entropyBits([0, 7, 0])).toBe(0);
    expect(entropyBits([])).toBe(0);
  });

  it('should lie between 0 and log2 n for any counts', () => {
    fc.assert(fc.property(fc.array(fc.nat(1000), { minLength: 1, maxLength: 64 }), (counts) => {
      const entropy = entropyBits(counts);
      return entropy >= 0 && entropy <= Math.log2(counts.length) + 1e-12;
    }));
  });
});

describe('receptiveField', () => {
  it('should see 3 tokens with 2 layers of window 2 and 7 with window 4', () => {
    expect(receptiveField(2, 2)).toBe(3);
    expect(receptiveField(2, 4)).toBe(7);
    expect(receptiveField(6, 1)).toBe(1);
  });
});

describe('scoreUnit', () => {
  it.each(['sotu', 'text', 'jsonl'])('should count bytes when the data kind is %s', (kind) => {
    expect(scoreUnit(kind)).toBe('byte');
  });

  it.each(['hidden-topic', 'hierarchy'])('should count tokens when the data kind is %s',
    (kind) => {
      expect(scoreUnit(kind)).toBe('token');
    });
});
