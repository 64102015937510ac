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

function secondsOnce(a: Tensor, b: Tensor, c: SpeedCase): number {
  const start = performance.now();
  tf.matMul(a, b, c.transposeA, c.transposeB).dispose();
  return (performance.now() - start) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Median seconds per product for the stock and the fast kernel. The two alternate call by
 * call, so load from other processes falls on both alike.
 */
function timeBoth(a: Tensor, b: Tensor, c: SpeedCase, budget: number): Record<Kind, number> {
  const times: Record<Kind, number[]> = { stock: [], fast: [] };
  let spent = 0;
  for (let round = 0; round < 200 && (spent < budget || round < 5); round++) {
    for (const kind of kinds) {
      use(kind);
      if (round === 0) secondsOnce(a, b, c);
      const seconds = secondsOnce(a, b, c);
      times[kind].push(seconds);
      spent += seconds;
    }
  }
  return { stock: median(times.stock), fast: median(times.fast) };
}

type Kind = 'stock' | 'fast';
const kinds: Kind[] = ['stock', 'fast'];

function use(kind: Kind): void {
  if (kind === 'fast') registerFastMatMul();
  else unregisterFastMatMul();
}

async function main(): Promise<void> {
  await initBackend('wasm');
  const seeds = createRng('matmul-speed');
  console.log('case                            stock GFLOP/s   fast GFLOP/s   speed-up');
  for (const c of cases) {
    const a = tf.randomUniform(c.a, -1, 1, 'float32', seeds.seed());
    const b = tf.randomUniform(c.b, -1, 1, 'float32', seeds.seed());
    const seconds = timeBoth(a, b, c, 0.8);
    const [stock, fast] = kinds.map((kind) => c.flops / seconds[kind] / 1e9);
    const row = [c.name.padEnd(32), stock.toFixed(2).padStart(13),
      fast.toFixed(2).padStart(14), `${(fast / stock).toFixed(1)}x`.padStart(10)];
    console.log(row.join(' '));
    tf.dispose([a, b]);
  }
  registerFastMatMul();
}

await main();
