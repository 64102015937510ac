// A reason-scaling.json as a reasoner run would write it, following the documented format.

/** The scores a reasoner run would write, per the documented reason-scaling.json format. */
export const reasonScaling = {
  task: 'sudoku4',
  split: 'test',
  puzzles: 64,
  width: [
    { samples: 1, coverage: 0.25, validRate: 0.5, exactAccuracy: 0.5, anyValid: 0.5 },
    { samples: 4, coverage: 0.5, validRate: 0.5, exactAccuracy: 0.5, anyValid: 0.8 },
    { samples: 16, coverage: 0.75, validRate: 0.5, exactAccuracy: 0.5, anyValid: 0.95 },
  ],
  depth: [
    { rounds: 1, coverage: 0.1, validRate: 0.2, exactAccuracy: 0.2, entropyBits: 1.5 },
    { rounds: 2, coverage: 0.3, validRate: 0.4, exactAccuracy: 0.4, entropyBits: 1.25 },
    { rounds: 4, coverage: 0.5, validRate: 0.5, exactAccuracy: 0.5, entropyBits: 1 },
  ],
  deterministic: { coverage: 0.25, validRate: 0.625, exactAccuracy: 0.625 },
};
