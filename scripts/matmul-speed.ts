// Measures the wasm matrix product, stock kernel against the fast one, in GFLOP/s.
// Run: npx tsx scripts/matmul-speed.ts   (a few seconds)
import {
  initBackend, registerFastMatMul, tf, unregisterFastMatMul,
} from '../src/backend/index.js';
import type { Tensor } from '../src/backend/index.js';
import { createRng } from '../src/random.js';

interface SpeedCase {
  name: string;
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
  /** Multiply-adds times two, over the whole batch. */
  flops: number;
}

const cases: SpeedCase[] = [
  { name: 'NN [1024,128]x[128,384]', a: [1024, 128], b: [128, 384], transposeA: false,
    transposeB: false, flops: 2 * 1024 * 128 * 384 },
  { name: 'TN [128,1024]Tx[128,384]', a: [128, 1024], b: [128, 384], transposeA: true,
    transposeB: false, flops: 2 * 1024 * 128 * 384 },
  { name: 'NT [1024,128]x[384,128]T', a: [1024, 128], b: [384, 128], transposeA: false,
    transposeB: true, flops: 2 * 1024 * 128 * 384 },
  { name: 'batched [64,64,32]x[64,32,64]', a: [64, 64, 32], b: [64, 32, 64], transposeA: false,
    transposeB: false, flops: 2 * 64 * 64 * 32 * 64 },
];

/** Median seconds per product over repeats that together take about `budget` seconds. */
function secondsPerProduct(a: Tensor, b: Tensor, c: SpeedCase, budget: number): number {
  const once = () => {
    const start = performance.now();
    tf.matMul(a, b, c.transposeA, c.transposeB).dispose();
    return (performance.now() - start) / 1000;
  };
  once();
  const times = [once()];
  let spent = times[0];
  while (spent < budget || times.length < 3) {
    times.push(once());
    spent += times[times.length - 1];
    if (times.length >= 200) break;
  }
  times.sort((x, y) => x - y);
  return times[Math.floor(times.length / 2)];
}

async function main(): Promise<void> {
  await initBackend('wasm');
  const seeds = createRng('matmul-speed');
  console.log('case                            stock GFLOP/s   fast GFLOP/s   speed-up');
  for (const c of cases) {
    const a = tf.randomUniform(c.a, -1, 1, 'float32', seeds.seed());
    const b = tf.randomUniform(c.b, -1, 1, 'float32', seeds.seed());
    unregisterFastMatMul();
    const stock = c.flops / secondsPerProduct(a, b, c, 0.6) / 1e9;
    registerFastMatMul();
    const fast = c.flops / secondsPerProduct(a, b, c, 0.6) / 1e9;
    const row = [c.name.padEnd(32), stock.toFixed(2).padStart(13),
      fast.toFixed(2).padStart(14), `${(fast / stock).toFixed(1)}x`.padStart(10)];
    console.log(row.join(' '));
    tf.dispose([a, b]);
  }
}

await main();
