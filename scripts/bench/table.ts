// The benchmark's report as a plain-text table.
import type { BenchReport } from '../bench.js';

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
  print(`${`steps (median of ${rounds} interleaved rounds)`.padEnd(44)}${'ms'.padStart(9)}`
    + `${'tokens/s'.padStart(10)}${'x AR'.padStart(8)}`);
  const row = (name: string, ms: number, tokens: number | null, ratio: number) => print(
    `${name.padEnd(44)}${fixed(ms, 1).padStart(9)}`
    + `${(tokens === null ? '' : fixed(tokens, 0)).padStart(10)}${fixed(ratio, 2).padStart(8)}`);
  row('AR step', report.arStep.ms, report.arStep.tokensPerSecond, 1);
  row('LTM step, 4 inner steps', report.ltmStepT4.ms, report.ltmStepT4.tokensPerSecond,
    report.ltmOverArT4);
  row('LTM step, 16 inner steps', report.ltmStepT16.ms, report.ltmStepT16.tokensPerSecond,
    report.ltmOverArT16);
  row('one inner step (median, separate runs)', report.innerStep.ms, null,
    report.innerStep.overArStep);
  if (report.stock !== null) {
    print(`AR step, stock wasm kernels ${fixed(report.stock.stockWasmArStepMs, 1)} ms, `
      + `project kernels ${fixed(report.stock.projectArStepMs, 1)} ms: `
      + `${fixed(report.stock.speedupOverStockWasm, 2)}x`);
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
    print(`${goal.met ? 'met    ' : 'NOT met'}  ${goal.name}: ${value} (goal ${goal.limit})`);
  }
}

/** Prints the report, one line per call of `print`. */
export function printTable(report: BenchReport, print: (line: string) => void): void {
  header(report, print);
  products(report, print);
  steps(report, print);
  checks(report, print);
}
