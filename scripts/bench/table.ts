// The benchmark's report as a plain-text table.
import type { BenchReport } from '../bench.js';
import type { KernelProfile } from './profile.js';

const fixed = (value: number, digits: number) => value.toFixed(digits);
const shape = (dims: number[]) => `[${dims.join(',')}]`;

function header(report: BenchReport, print: (line: string) => void): void {
  const load = (values: number[]) => values.map((value) => fixed(value, 1)).join(' ');
  const shapes = Object.entries(report.config.shapes).map(([key, value]) => `${key} ${value}`);
  print(`latent-thought bench: backend ${report.backend}, node ${report.node}, `
    + `${fixed(report.seconds, 0)} s`);
  print(`load average ${load(report.loadAverage.start)} at start, `
    + `${load(report.loadAverage.end)} at end`);
  print(`${report.config.file}: ${shapes.join(', ')}`);
}

function products(report: BenchReport, print: (line: string) => void): void {
  print('');
  print(`${'matrix product'.padEnd(26)}${'a'.padEnd(14)}${'b'.padEnd(14)}`
    + `${'ms'.padStart(8)}${'GFLOP/s'.padStart(9)}`);
  for (const rate of report.matmul) {
    const a = `${shape(rate.a)}${rate.transposeA ? 'T' : ''}`;
    const b = `${shape(rate.b)}${rate.transposeB ? 'T' : ''}`;
    print(`${rate.name.padEnd(26)}${a.padEnd(14)}${b.padEnd(14)}`
      + `${fixed(rate.ms, 3).padStart(8)}${fixed(rate.gflops, 1).padStart(9)}`);
  }
}

function steps(report: BenchReport, print: (line: string) => void): void {
  const rounds = report.arStep.rounds.length;
  print('');
  print(`${`steps (median of ${rounds} interleaved rounds)`.padEnd(40)}${'ms'.padStart(9)}`
    + `${'cpu ms'.padStart(9)}${'tokens/s'.padStart(10)}${'x AR'.padStart(7)}`
    + `${'x AR cpu'.padStart(9)}`);
  const row = (name: string, ms: number, cpu: number | null, tokens: number | null,
    ratios: number[]) => print(`${name.padEnd(40)}${fixed(ms, 1).padStart(9)}`
    + `${(cpu === null ? '' : fixed(cpu, 1)).padStart(9)}`
    + `${(tokens === null ? '' : fixed(tokens, 0)).padStart(10)}`
    + `${fixed(ratios[0], 2).padStart(7)}${(ratios.length > 1 ? fixed(ratios[1], 2) : '')
      .padStart(9)}`);
  const { arStep, ltmStepT4: t4, ltmStepT16: t16 } = report;
  row('AR step', arStep.ms, arStep.cpuMs, arStep.tokensPerSecond, [1, 1]);
  row('LTM step, 4 inner steps', t4.ms, t4.cpuMs, t4.tokensPerSecond,
    [report.ltmOverArT4, report.ltmOverArT4Cpu]);
  row('LTM step, 16 inner steps', t16.ms, t16.cpuMs, t16.tokensPerSecond,
    [report.ltmOverArT16, report.ltmOverArT16Cpu]);
  row('one inner step (separate runs)', report.innerStep.ms, null, null,
    [report.innerStep.overArStep]);
  if (report.stock !== null) {
    const { stock } = report;
    print(`AR step, stock wasm kernels ${fixed(stock.stockWasmArStepMs, 1)} ms, project `
      + `kernels ${fixed(stock.projectArStepMs, 1)} ms: ${fixed(stock.speedupOverStockWasm, 2)}x `
      + `(cpu time ${fixed(stock.speedupOverStockWasmCpu, 2)}x)`);
  }
}

function checks(report: BenchReport, print: (line: string) => void): void {
  const { cpuCheck, memory } = report;
  const losses = (values: number[]) => values.map((value) => fixed(value, 6)).join(', ');
  print('');
  print(`AR loss, ${report.backend}: ${losses(cpuCheck.backendLosses)}; `
    + `cpu: ${losses(cpuCheck.cpuLosses)}; relative difference `
    + `${cpuCheck.relativeDifference.toExponential(2)}`);
  print(`peak RSS ${fixed(memory.peakRssMiB, 0)} MiB; tensors ${memory.tensorsBefore} before, `
    + `${memory.tensorsAfter} after`);
  print('');
  for (const goal of report.goals) {
    const value = Math.abs(goal.value) < 1e-3 ? goal.value.toExponential(2)
      : fixed(goal.value, 2);
    const cpu = goal.cpuValue === undefined ? '' : `, cpu time ${fixed(goal.cpuValue, 2)}`;
    print(`${goal.met ? 'met    ' : 'NOT met'}  ${goal.name}: ${value}${cpu} `
      + `(goal ${goal.limit})`);
  }
}

function reasoner(report: BenchReport, print: (line: string) => void): void {
  const speed = report.reasoner;
  print('');
  if (speed === null) {
    print('reasoner: skipped (no reasoner config)');
    return;
  }
  print(`reasoner (${speed.config}): training step ${fixed(speed.trainStepMs, 1)} ms`);
  print(`  sampling ${speed.inputs} test puzzles x ${speed.rounds} rounds: one trajectory `
    + `${fixed(speed.oneTrajectoryMs, 1)} ms, ${speed.samples} trajectories `
    + `${fixed(speed.allTrajectoriesMs, 1)} ms (${fixed(speed.samplingS20OverS1, 2)}x, `
    + `${fixed(speed.perTrajectoryShare, 2)} of a lone trajectory each), `
    + `${fixed(speed.trajectoriesPerSecond, 0)} trajectories/s`);
  for (const batch of speed.byInputs) {
    const puzzles = batch.inputs === 1 ? 'puzzle: ' : 'puzzles:';
    print(`  ${String(batch.inputs).padStart(3)} ${puzzles} one trajectory `
      + `${fixed(batch.oneTrajectoryMs, 1)} ms, ${speed.samples} trajectories `
      + `${fixed(batch.allTrajectoriesMs, 1)} ms (${fixed(batch.samplingS20OverS1, 2)}x)`);
  }
  const { products } = speed;
  print(`  products of the ${speed.samples}-trajectory run: ${fixed(products.gflop, 2)} GFLOP in `
    + `${fixed(products.kernelMs, 1)} ms (${fixed(products.gflopsPerSecond, 1)} GFLOP/s); at `
    + `the best rate measured here (${fixed(products.ceilingGflopsPerSecond, 1)} GFLOP/s) they `
    + `alone take ${fixed(products.floorOverS1, 2)}x the one-trajectory run`);
}

/** Kernels with at least 1% of the time, then the rest in one line. */
function kernels(name: string, profile: KernelProfile, print: (line: string) => void): void {
  print('');
  print(`${`${name}: ${profile.kernels} kernels, ${fixed(profile.totalMs, 1)} ms`.padEnd(44)}`
    + `${'calls'.padStart(7)}${'ms'.padStart(9)}${'share'.padStart(8)}`);
  const shown = profile.byKernel.filter((entry) => entry.share >= 0.01);
  for (const entry of shown) {
    print(`  ${entry.kernel.padEnd(42)}${String(entry.calls).padStart(7)}`
      + `${fixed(entry.ms, 2).padStart(9)}${`${fixed(100 * entry.share, 1)}%`.padStart(8)}`);
  }
  const rest = profile.byKernel.filter((entry) => entry.share < 0.01);
  const restMs = rest.reduce((total, entry) => total + entry.ms, 0);
  const restCalls = rest.reduce((total, entry) => total + entry.calls, 0);
  print(`  ${`${rest.length} other kernels`.padEnd(42)}${String(restCalls).padStart(7)}`
    + `${fixed(restMs, 2).padStart(9)}${`${fixed(100 * restMs / profile.totalMs, 1)}%`
      .padStart(8)}`);
}

/** Prints the report, one line per call of `print`. */
export function printTable(report: BenchReport, print: (line: string) => void): void {
  header(report, print);
  products(report, print);
  steps(report, print);
  reasoner(report, print);
  kernels('AR step by kernel', report.profile.arStep, print);
  kernels('one inner step by kernel', report.profile.innerStep, print);
  checks(report, print);
}
