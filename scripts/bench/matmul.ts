// Matrix-product rates for the shapes a config's model multiplies: each weight product
// forward (NN), its input gradient (NT) and its weight gradient (TN), and the batched
// attention products.
import { tf, type Tensor } from '../../src/backend/index.js';
import type { Config } from '../../src/config/index.js';
import { createRng } from '../../src/random.js';
import { benchVocab } from './fixtures.js';
import { interleavedRounds, median } from './timing.js';

export interface ProductCase {
  name: string;
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
}

export interface ProductRate extends ProductCase {
  ms: number;
  gflops: number;
}

/** The three products of one weight `[inputs, outputs]` applied to `rows` activations. */
function weightCases(name: string, rows: number, inputs: number, outputs: number):
  ProductCase[] {
  return [
    { name: `${name} NN`, a: [rows, inputs], b: [inputs, outputs], transposeA: false,
      transposeB: false },
    { name: `${name} NT`, a: [rows, outputs], b: [inputs, outputs], transposeA: false,
      transposeB: true },
    { name: `${name} TN`, a: [rows, inputs], b: [rows, outputs], transposeA: true,
      transposeB: false },
  ];
}

/** Every product shape of the config's decoder, for one batch. */
export function productCases(config: Config): ProductCase[] {
  const { width, mlpHidden, heads, sequenceLength: length } = config.model;
  const rows = config.train.batchSize * length;
  const slices = config.train.batchSize * heads;
  const head = width / heads;
  const slots = config.latents.perLayer;
  return [
    ...weightCases('projection D x D', rows, width, width),
    ...weightCases('MLP in D x F', rows, width, mlpHidden),
    ...weightCases('MLP out F x D', rows, mlpHidden, width),
    ...weightCases('output head D x V', rows, width, benchVocab),
    { name: 'self scores QK^T', a: [slices, length, head], b: [slices, length, head],
      transposeA: false, transposeB: true },
    { name: 'self mix PV', a: [slices, length, length], b: [slices, length, head],
      transposeA: false, transposeB: false },
    { name: 'self mix grad P^T dO', a: [slices, length, length], b: [slices, length, head],
      transposeA: true, transposeB: false },
    { name: 'cross scores QK^T', a: [slices, length, head], b: [slices, slots, head],
      transposeA: false, transposeB: true },
    { name: 'cross grad P^T dO', a: [slices, length, slots], b: [slices, length, head],
      transposeA: true, transposeB: false },
  ];
}

function flops(c: ProductCase): number {
  const product = tf.tidy(() => tf.zeros(c.a).matMul(tf.zeros(c.b), c.transposeA,
    c.transposeB));
  const [rows, cols] = product.shape.slice(-2);
  const batch = product.size / (rows * cols);
  product.dispose();
  const inner = c.transposeA ? c.a[c.a.length - 2] : c.a[c.a.length - 1];
  return 2 * batch * rows * cols * inner;
}

/**
 * Median milliseconds and GFLOP/s of each case, operands drawn once from a seeded stream.
 * The cases take turns, one product each per round, so that load from other processes
 * falls on all of them alike.
 */
export function measureProducts(cases: ProductCase[], rounds: number): ProductRate[] {
  const rng = createRng('bench-matmul');
  const operands = cases.map((c) => ({
    a: tf.randomUniform(c.a, -1, 1, 'float32', rng.seed()) as Tensor,
    b: tf.randomUniform(c.b, -1, 1, 'float32', rng.seed()) as Tensor,
  }));
  const runs = Object.fromEntries(cases.map((c, index) => [index, () => {
    const { a, b } = operands[index];
    tf.matMul(a, b, c.transposeA, c.transposeB).dispose();
  }]));
  try {
    const { wall } = interleavedRounds(runs, rounds, 2);
    return cases.map((c, index) => {
      const ms = median(wall[index]);
      return { ...c, ms, gflops: flops(c) / (ms * 1e6) };
    });
  } finally {
    for (const { a, b } of operands) tf.dispose([a, b]);
  }
}
