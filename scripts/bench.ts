// Training speed on the backend in use, in one process: matrix-product rates, AR and LTM
// steps, one inner step, the project's wasm kernels against the stock ones, and the AR loss
// against the cpu backend. Prints a table (or, with --json, one JSON object) and writes JSON.
// Usage: npm run bench [-- --json] [--out bench.json] [--rounds 7] [--quick]
//        [--config configs/default.json] [--reasoner configs/sudoku4-gram.json]
//        [--reasoner-inputs 16]
//        [--backend auto]
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { initBackend, tf, type BackendChoice } from '../src/backend/index.js';
import { loadConfig, type Config } from '../src/config/index.js';
import { measureProducts, productCases, type ProductRate } from './bench/matmul.js';
import { profileSteps, type KernelProfile } from './bench/profile.js';
import { measureReasoner, type ReasonerSpeed } from './bench/reasoner.js';
import {
  checkAgainstCpu, measureInnerStep, measureSteps, measureStock, type CpuCheck, type StepReport,
  type StockReport,
} from './bench/sections.js';
import { printTable } from './bench/table.js';

interface Options {
  json: boolean;
  out: string;
  rounds: number;
  quick: boolean;
  config: string;
  reasoner: string;
  /** Test puzzles in the reasoner's sampled batch. */
  reasonerInputs: number;
  backend: BackendChoice;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      out: { type: 'string', default: 'bench.json' },
      rounds: { type: 'string', default: '7' },
      quick: { type: 'boolean', default: false },
      config: { type: 'string', default: 'configs/default.json' },
      reasoner: { type: 'string', default: 'configs/sudoku4-gram.json' },
      'reasoner-inputs': { type: 'string', default: '16' },
      backend: { type: 'string', default: 'auto' },
    },
  });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new Error(`--rounds ${values.rounds}: give a whole number of rounds, at least 1`);
  }
  const reasonerInputs = Number(values['reasoner-inputs']);
  if (!Number.isInteger(reasonerInputs) || reasonerInputs < 1) {
    throw new Error(`--reasoner-inputs ${values['reasoner-inputs']}: give a whole number of `
      + 'test puzzles, at least 1');
  }
  return { ...values, reasonerInputs, rounds: values.quick ? 1 : rounds } as Options;
}

/** A goal of the speed work, with the measured value and whether it is met. */
export interface Goal {
  name: string;
  /** Measured by the wall clock; `met` is decided on it. */
  value: number;
  /** The same measured in CPU time, where that applies. */
  cpuValue?: number;
  limit: string;
  met: boolean;
}

export interface BenchReport extends StepReport {
  backend: string;
  date: string;
  node: string;
  loadAverage: { start: number[]; end: number[] };
  config: { file: string; shapes: Record<string, number> };
  matmul: ProductRate[];
  innerStep: { ms: number; overArStep: number; runs: number[] };
  stock: StockReport | null;
  speedupOverStockWasm: number | null;
  cpuCheck: CpuCheck;
  /** Training and sampling speed of the stochastic reasoner; null when its config is missing. */
  reasoner: ReasonerSpeed | null;
  /** S = 20 trajectories over one for the same batch; null without a reasoner config. */
  samplingS20OverS1: number | null;
  /** tf.profile kernel times of one AR step and one inner step. */
  profile: { arStep: KernelProfile; innerStep: KernelProfile };
  goals: Goal[];
  memory: { peakRssMiB: number; tensorsBefore: number; tensorsAfter: number };
  seconds: number;
}

function shapesOf(config: Config): Record<string, number> {
  const { model, train, latents } = config;
  return {
    batch: train.batchSize, tokens: model.sequenceLength, layers: model.layers,
    width: model.width, heads: model.heads, mlpHidden: model.mlpHidden, window: model.window,
    latentsPerLayer: latents.perLayer, latentDim: latents.dim,
  };
}

function goals(report: Omit<BenchReport, 'goals'>): Goal[] {
  const ratioGoal = (steps: number, value: number, cpuValue: number): Goal => ({
    name: `LTM step with ${steps} inner steps, in AR steps`, value, cpuValue,
    limit: `<= ${(1 + 0.6 * steps).toFixed(1)}`, met: value <= 1 + 0.6 * steps,
  });
  const list = [ratioGoal(4, report.ltmOverArT4, report.ltmOverArT4Cpu),
    ratioGoal(16, report.ltmOverArT16, report.ltmOverArT16Cpu)];
  if (report.stock !== null) {
    const { speedupOverStockWasm: value, speedupOverStockWasmCpu: cpuValue } = report.stock;
    list.push({ name: 'AR step speed-up over the stock wasm kernels', value, cpuValue,
      limit: '>= 4', met: value >= 4 });
  }
  if (report.samplingS20OverS1 !== null) {
    const value = report.samplingS20OverS1;
    list.push({ name: 'Reasoner sampling, S = 20 trajectories over S = 1', value,
      limit: '<= 5', met: value <= 5 });
  }
  list.push({ name: 'AR loss, relative difference to cpu', value: report.cpuCheck
    .relativeDifference, limit: '<= 1e-5', met: report.cpuCheck.withinTolerance });
  return list;
}

async function run(opts: Options, log: (line: string) => void): Promise<BenchReport> {
  const started = performance.now();
  const loadStart = os.loadavg();
  const backend = await initBackend(opts.backend);
  const { config } = loadConfig(opts.config);
  const tensorsBefore = tf.memory().numTensors;

  log(`bench: ${backend}, matrix products`);
  const matmul = measureProducts(productCases(config), opts.quick ? 3 : 25);
  log('bench: AR and LTM steps in interleaved rounds');
  const steps = measureSteps(config, opts.rounds, log);
  log('bench: one inner step');
  const inner = measureInnerStep(config, opts.quick ? 3 : 15);
  log('bench: stock wasm kernels against the project\'s');
  const stock = backend === 'wasm' ? measureStock(config, opts.quick ? 1 : 3) : null;
  log('bench: reasoner training step and sampling S = 1 and S = 20');
  const ceiling = Math.max(...matmul.map((rate) => rate.gflops));
  const reasoner = fs.existsSync(opts.reasoner)
    ? await measureReasoner(opts.reasoner, opts.reasonerInputs, 20, opts.quick ? 1 : 5, ceiling)
    : null;
  log('bench: kernel profiles');
  const profile = await profileSteps(config, opts.quick ? 1 : 5);
  log('bench: AR loss on the cpu backend');
  const cpuCheck = await checkAgainstCpu(config, opts.quick ? 1 : 2);

  const partial = {
    backend, date: new Date().toISOString(), node: process.version,
    loadAverage: { start: loadStart, end: os.loadavg() },
    config: { file: opts.config, shapes: shapesOf(config) },
    matmul, ...steps,
    innerStep: { ...inner, overArStep: inner.ms / steps.arStep.ms },
    stock, speedupOverStockWasm: stock?.speedupOverStockWasm ?? null, reasoner,
    samplingS20OverS1: reasoner?.samplingS20OverS1 ?? null,
    cpuCheck, profile,
    memory: {
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      tensorsBefore, tensorsAfter: tf.memory().numTensors,
    },
    seconds: (performance.now() - started) / 1000,
  };
  return { ...partial, goals: goals(partial) };
}

async function main(): Promise<void> {
  const opts = options();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const report = await run(opts, log);
  fs.writeFileSync(opts.out, `${JSON.stringify(report, null, 2)}\n`);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    printTable(report, (line) => process.stdout.write(`${line}\n`));
    process.stdout.write(`\nwritten to ${opts.out}\n`);
  }
}

await main();
