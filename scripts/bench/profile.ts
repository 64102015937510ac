// Where a step's time goes, by kernel: tf.profile's kernel times summed per kernel name
// (matrix products by kind), the median over several profiled runs.
import { tf } from '../../src/backend/index.js';
import type { Config } from '../../src/config/index.js';
import {
  closeInnerLoop, createStepFixture, disposeStepFixture, inferenceStep, openInnerLoop, runStep,
} from './fixtures.js';
import { variant } from './sections.js';
import { median } from './timing.js';

export interface KernelShare {
  kernel: string;
  /** Launches in one run. */
  calls: number;
  /** Median over runs of the summed kernel time. */
  ms: number;
  /** Share of the summed time of all kernels. */
  share: number;
}

export interface KernelProfile {
  /** Kernel launches in one run. */
  kernels: number;
  /** Median over runs of the summed time of all kernels. */
  totalMs: number;
  byKernel: KernelShare[];
}

/**
 * The kernel's name, with matrix products split by kind, read from the shapes (the profile
 * does not record transposes): batched ones (attention), weight gradients (a transposed left
 * operand: the output has fewer rows than the left operand), and the other 2-D ones
 * (forward and input gradients).
 */
function kernelKey(kernel: { name: string; inputShapes: number[][]; outputShapes: number[][] }):
  string {
  if (kernel.name !== 'BatchMatMul') return kernel.name;
  const [a] = kernel.inputShapes;
  const [out] = kernel.outputShapes;
  if (a === undefined || out === undefined || a.length !== 2) return 'BatchMatMul batched';
  return out[0] !== a[0] ? 'BatchMatMul weight gradient' : 'BatchMatMul forward/input grad';
}

/**
 * Floating-point operations of one matrix-product kernel, from the shapes tf.profile records:
 * 2 M N K per output matrix, for any transpose or broadcast.
 */
export function productFlops(kernel: { inputShapes: number[][]; outputShapes: number[][] }):
  number {
  const [a] = kernel.inputShapes;
  const [out] = kernel.outputShapes;
  const size = (dims: number[]) => dims.reduce((total, dim) => total * dim, 1);
  // a holds M x K per batch element, transposed or not; M is the output's row count.
  const inner = (a[a.length - 1] * a[a.length - 2]) / out[out.length - 2];
  return 2 * size(out) * inner;
}

/** Profiles `run` `runs` times after two untimed runs. */
export async function profileKernels(run: () => void, runs: number): Promise<KernelProfile> {
  run();
  run();
  const times = new Map<string, number[]>();
  const calls = new Map<string, number>();
  let kernels = 0;
  for (let index = 0; index < runs; index++) {
    const info = await tf.profile(run);
    kernels = info.kernels.length;
    const sums = new Map<string, number>();
    calls.clear();
    for (const kernel of info.kernels) {
      const key = kernelKey(kernel);
      sums.set(key, (sums.get(key) ?? 0) + Number(kernel.kernelTimeMs));
      calls.set(key, (calls.get(key) ?? 0) + 1);
    }
    for (const [name, ms] of sums) times.set(name, [...(times.get(name) ?? []), ms]);
  }
  const byKernel = [...times].map(([kernel, ms]) => ({ kernel, calls: calls.get(kernel) ?? 0,
    ms: median(ms), share: 0 }));
  const totalMs = byKernel.reduce((total, entry) => total + entry.ms, 0);
  for (const entry of byKernel) entry.share = entry.ms / totalMs;
  byKernel.sort((a, b) => b.ms - a.ms);
  return { kernels, totalMs, byKernel };
}

/** Kernel profiles of one AR training step and of one inner step of the LTM. */
export async function profileSteps(config: Config, runs: number):
  Promise<{ arStep: KernelProfile; innerStep: KernelProfile }> {
  const ar = createStepFixture(variant(config, ['latents.enabled=false']));
  const ltm = createStepFixture(variant(config, ['latents.enabled=true']));
  const state = openInnerLoop(ltm);
  try {
    const arStep = await profileKernels(() => {
      runStep(ar);
    }, runs);
    const innerStep = await profileKernels(() => inferenceStep(state), runs);
    return { arStep, innerStep };
  } finally {
    closeInnerLoop(state);
    disposeStepFixture(ltm);
    disposeStepFixture(ar);
  }
}
