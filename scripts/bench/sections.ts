// The benchmark's measurements, one function each: training steps in interleaved rounds,
// one inner step alone, the stock wasm kernels against the project's, and the AR loss on the
// cpu backend against the backend in use.
import {
  initBackend, registerWasmKernels, tf, unregisterWasmKernels,
} from '../../src/backend/index.js';
import { resolveConfig, type Config } from '../../src/config/index.js';
import {
  closeInnerLoop, createStepFixture, disposeStepFixture, inferenceStep, openInnerLoop, runStep,
  type StepFixture,
} from './fixtures.js';
import { interleavedRounds, median, medianRatio, repeatMs } from './timing.js';

export interface StepTiming {
  /** Median wall-clock milliseconds. */
  ms: number;
  /** Median CPU milliseconds of this process. */
  cpuMs: number;
  tokensPerSecond: number;
  /** Each timed round's wall-clock milliseconds. */
  rounds: number[];
}

export interface StepReport {
  arStep: StepTiming;
  ltmStepT4: StepTiming;
  ltmStepT16: StepTiming;
  /** Median over rounds of LTM step / AR step, wall clock. */
  ltmOverArT4: number;
  ltmOverArT16: number;
  /** The same ratios in CPU time, which other processes disturb less. */
  ltmOverArT4Cpu: number;
  ltmOverArT16Cpu: number;
}

/** The config with `overrides` applied through the usual validation. */
export function variant(config: Config, overrides: string[]): Config {
  return resolveConfig(config, overrides);
}

function timing(config: Config, rounds: number[], cpu: number[]): StepTiming {
  const ms = median(rounds);
  const tokens = config.train.batchSize * config.model.sequenceLength;
  return { ms, cpuMs: median(cpu), tokensPerSecond: tokens / (ms / 1000), rounds };
}

/** AR, LTM with 4 and LTM with 16 inner steps, one of each per round. */
export function measureSteps(config: Config, count: number, log: (line: string) => void):
  StepReport {
  const configs = {
    ar: variant(config, ['latents.enabled=false']),
    t4: variant(config, ['latents.enabled=true', 'vi.innerSteps=4']),
    t16: variant(config, ['latents.enabled=true', 'vi.innerSteps=16']),
  };
  const fixtures = {
    ar: createStepFixture(configs.ar),
    t4: createStepFixture(configs.t4),
    t16: createStepFixture(configs.t16),
  };
  try {
    const times = interleavedRounds({
      ar: () => runStep(fixtures.ar),
      t4: () => runStep(fixtures.t4),
      t16: () => runStep(fixtures.t16),
    }, count, 1, (round) => log(`  steps: round ${round + 1} of ${count + 1}`));
    const { wall, cpu } = times;
    return {
      arStep: timing(configs.ar, wall.ar, cpu.ar),
      ltmStepT4: timing(configs.t4, wall.t4, cpu.t4),
      ltmStepT16: timing(configs.t16, wall.t16, cpu.t16),
      ltmOverArT4: medianRatio(wall.t4, wall.ar),
      ltmOverArT16: medianRatio(wall.t16, wall.ar),
      ltmOverArT4Cpu: medianRatio(cpu.t4, cpu.ar),
      ltmOverArT16Cpu: medianRatio(cpu.t16, cpu.ar),
    };
  } finally {
    for (const fixture of Object.values(fixtures)) disposeStepFixture(fixture);
  }
}

/** Median milliseconds of one inner update, the prefix already computed. */
export function measureInnerStep(config: Config, runs: number): { ms: number; runs: number[] } {
  const fixture = createStepFixture(variant(config, ['latents.enabled=true']));
  const state = openInnerLoop(fixture);
  try {
    const times = repeatMs(() => inferenceStep(state),
      { warmup: 2, maxRuns: runs, budgetMs: Number.POSITIVE_INFINITY, minRuns: runs });
    return { ms: median(times), runs: times };
  } finally {
    closeInnerLoop(state);
    disposeStepFixture(fixture);
  }
}

export interface StockReport {
  stockWasmArStepMs: number;
  projectArStepMs: number;
  /** Median over rounds of stock / project, wall clock. */
  speedupOverStockWasm: number;
  speedupOverStockWasmCpu: number;
}

/** The AR step with the stock wasm kernels and with the project's, one of each per round. */
export function measureStock(config: Config, count: number): StockReport {
  const fixture = createStepFixture(variant(config, ['latents.enabled=false']));
  try {
    const times = interleavedRounds({
      stock: () => {
        unregisterWasmKernels();
        try {
          runStep(fixture);
        } finally {
          registerWasmKernels();
        }
      },
      project: () => runStep(fixture),
    }, count, 1);
    const { wall, cpu } = times;
    return {
      stockWasmArStepMs: median(wall.stock),
      projectArStepMs: median(wall.project),
      speedupOverStockWasm: medianRatio(wall.stock, wall.project),
      speedupOverStockWasmCpu: medianRatio(cpu.stock, cpu.project),
    };
  } finally {
    disposeStepFixture(fixture);
  }
}

export interface CpuCheck {
  steps: number;
  backendLosses: number[];
  cpuLosses: number[];
  /** Largest |backend - cpu| / |cpu| over the steps. */
  relativeDifference: number;
  tolerance: number;
  withinTolerance: boolean;
}

function arLosses(config: Config, steps: number): number[] {
  const fixture: StepFixture = createStepFixture(config, 'bench-cpu-check');
  try {
    return Array.from({ length: steps }, () => runStep(fixture).nll);
  } finally {
    disposeStepFixture(fixture);
  }
}

/**
 * The AR loss of the first `steps` steps (from the same weights and batches) on the backend
 * in use and on the cpu backend. Leaves the cpu backend selected.
 */
export async function checkAgainstCpu(config: Config, steps: number): Promise<CpuCheck> {
  const ar = variant(config, ['latents.enabled=false']);
  const backendLosses = arLosses(ar, steps);
  await initBackend('cpu');
  const cpuLosses = arLosses(ar, steps);
  const relativeDifference = Math.max(...cpuLosses.map((loss, step) =>
    Math.abs(backendLosses[step] - loss) / Math.abs(loss)));
  const tolerance = 1e-5;
  return {
    steps, backendLosses, cpuLosses, relativeDifference, tolerance,
    withinTolerance: relativeDifference <= tolerance,
  };
}

export { tf };
