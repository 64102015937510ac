// Terminal formatting helpers: counts with their nouns, and paths quoted so that a printed
// command can be pasted back into a shell.
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { counted, shellWord } from '../../src/cli/format.js';

/** What `sh` reads back from `word` as one argument. */
function readBack(word: string): string {
  return spawnSync('sh', ['-c', `printf %s ${word}`], { encoding: 'utf8' }).stdout;
}

describe('shellWord', () => {
  it('should leave a plain path alone', () => {
    expect(shellWord('runs/main-default-20261204-162950')).toBe(
      'runs/main-default-20261204-162950');
  });

  it('should quote a path with a space or a quote', () => {
    expect(shellWord('/tmp/sp ace/r')).toBe("'/tmp/sp ace/r'");
    expect(readBack(shellWord("it's here"))).toBe("it's here");
  });

  it('should read back unchanged for any text without a NUL', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 20 })
      .filter((text) => !text.includes('\0')), (text) => readBack(shellWord(text)) === text),
    { numRuns: 60 });
  });
});

describe('counted', () => {
  it('should use the singular for 1 and the plural otherwise', () => {
    expect([0, 1, 2].map((count) => counted(count, 'cell'))).toEqual(
      ['0 cells', '1 cell', '2 cells']);
  });
});
