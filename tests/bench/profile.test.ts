// The benchmark's operation count of a matrix product, read from the shapes tf.profile
// records, against 2 M N K counted by hand for every transpose and batch case.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../src/backend/index.js';
import { productFlops } from '../../scripts/bench/profile.js';

beforeAll(async () => {
  await initBackend('wasm');
});

/** Operations the profile's product kernels report for `run`. */
async function profiledFlops(run: () => tf.Tensor): Promise<number[]> {
  const info = await tf.profile(() => {
    run().dispose();
  });
  return info.kernels.filter((kernel) => kernel.name === 'BatchMatMul'
    || kernel.name === '_FusedMatMul').map(productFlops);
}

describe('productFlops', () => {
  // M = 3 rows, K = 5 inner, N = 7 columns; batch 2.
  const cases: { name: string; a: number[]; b: number[]; ta: boolean; tb: boolean;
    flops: number }[] = [
    { name: 'plain', a: [3, 5], b: [5, 7], ta: false, tb: false, flops: 2 * 3 * 5 * 7 },
    { name: 'transposed right', a: [3, 5], b: [7, 5], ta: false, tb: true, flops: 2 * 3 * 5 * 7 },
    { name: 'transposed left', a: [5, 3], b: [5, 7], ta: true, tb: false, flops: 2 * 3 * 5 * 7 },
    { name: 'both transposed', a: [5, 3], b: [7, 5], ta: true, tb: true, flops: 2 * 3 * 5 * 7 },
    { name: 'batched', a: [2, 3, 5], b: [2, 5, 7], ta: false, tb: false,
      flops: 2 * 2 * 3 * 5 * 7 },
    { name: 'batched, transposed left', a: [2, 5, 3], b: [2, 5, 7], ta: true, tb: false,
      flops: 2 * 2 * 3 * 5 * 7 },
    { name: 'broadcast right', a: [2, 3, 5], b: [5, 7], ta: false, tb: false,
      flops: 2 * 2 * 3 * 5 * 7 },
  ];
  for (const c of cases) {
    it(`counts 2 M N K for a ${c.name} product`, async () => {
      const a = tf.ones(c.a);
      const b = tf.ones(c.b);
      const flops = await profiledFlops(() => tf.matMul(a, b, c.ta, c.tb));
      expect(flops).toEqual([c.flops]);
      tf.dispose([a, b]);
    });
  }
});
