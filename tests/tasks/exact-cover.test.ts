import { describe, expect, it } from 'vitest';
import { exactCovers, takeDistinct, takeFirst } from '../../src/tasks/exact-cover.js';

const primaryOnly = (columns: number[][]) => columns.map((primary) => ({ primary, secondary: [] }));

describe('exactCovers', () => {
  it("should find the single cover of Knuth's seven-column example", () => {
    const rows = primaryOnly([[2, 4, 5], [0, 3, 6], [1, 2, 5], [0, 3], [1, 6], [3, 4, 6]]);
    const covers = [...exactCovers({ primaryColumns: 7, secondaryColumns: 0, rows })];
    expect(covers.map((cover) => cover.slice().sort())).toEqual([[0, 3, 4]]);
  });

  it('should forbid two rows on one secondary column but allow it to stay empty', () => {
    // Two cells, each may take 'a' (secondary 0) or 'b' (secondary 1); no letter twice.
    const rows = [
      { primary: [0], secondary: [0] },
      { primary: [0], secondary: [1] },
      { primary: [1], secondary: [0] },
      { primary: [1], secondary: [1] },
      { primary: [1], secondary: [] },
    ];
    const covers = [...exactCovers({ primaryColumns: 2, secondaryColumns: 2, rows })];
    const found = covers.map((cover) => cover.slice().sort().join(',')).sort();
    expect(found).toEqual(['0,3', '0,4', '1,2', '1,4']);
  });

  it('should find no cover when a primary column has no row', () => {
    const rows = primaryOnly([[0]]);
    expect([...exactCovers({ primaryColumns: 2, secondaryColumns: 0, rows })]).toEqual([]);
  });
});

describe('takeFirst and takeDistinct', () => {
  it('should report completeness only when the stream ends within the cap', () => {
    expect(takeFirst([1, 2, 3], 3)).toEqual({ items: [1, 2, 3], complete: true });
    expect(takeFirst([1, 2, 3], 2)).toEqual({ items: [1, 2], complete: false });
  });

  it('should skip repeated keys and not count them against the cap', () => {
    const words = ['ab', 'ba', 'ab', 'cd', 'ab'];
    const byLetters = (word: string) => [...word].sort().join('');
    expect(takeDistinct(words, 2, byLetters)).toEqual({ items: ['ab', 'cd'], complete: true });
    expect(takeDistinct(words, 1, byLetters)).toEqual({ items: ['ab'], complete: false });
  });
});
