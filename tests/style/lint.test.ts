import { describe, expect, it } from 'vitest';
import { lintProblems } from '../../scripts/lint.js';

describe('project lint', () => {
  it('should find no line over 100 columns and no Math.random in src when run on the tree', () => {
    expect(lintProblems()).toEqual([]);
  });
});
