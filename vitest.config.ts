import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Each file loads its own TensorFlow.js backend; two workers match the two cores.
    pool: 'forks',
    maxWorkers: 2,
  },
});
