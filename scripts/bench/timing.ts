// Timing for the benchmark: medians of repeated runs, and rounds that run every variant once
// in turn, so load from other processes on a shared machine falls on all of them alike.

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Wall-clock milliseconds of one call. */
export function timeMs(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

function cpuNowMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Wall-clock and process CPU milliseconds of one call. */
export function timeWallAndCpu(run: () => void): { wall: number; cpu: number } {
  const cpuStart = cpuNowMs();
  const wall = timeMs(run);
  return { wall, cpu: cpuNowMs() - cpuStart };
}

export interface RepeatOptions {
  warmup: number;
  /** Stop after this many timed runs ... */
  maxRuns: number;
  /** ... or once this much time is spent, but never before `minRuns`. */
  budgetMs: number;
  minRuns: number;
}

/** Milliseconds of each timed run after `warmup` untimed ones. */
export function repeatMs(run: () => void, options: RepeatOptions): number[] {
  for (let i = 0; i < options.warmup; i++) run();
  const times: number[] = [];
  let spent = 0;
  while (times.length < options.maxRuns
    && (spent < options.budgetMs || times.length < options.minRuns)) {
    const ms = timeMs(run);
    times.push(ms);
    spent += ms;
  }
  return times;
}

/** Milliseconds of each variant in each timed round, by the wall clock and in CPU time. */
export interface RoundTimes<Name extends string> {
  wall: Record<Name, number[]>;
  /**
   * CPU time of this process: on a shared machine it leaves out the time other processes
   * held the cores, so it varies far less than the wall clock.
   */
  cpu: Record<Name, number[]>;
}

/**
 * Runs every variant once per round, in order, for `warmup` untimed rounds and then `count`
 * timed ones.
 */
export function interleavedRounds<Name extends string>(variants: Record<Name, () => void>,
  count: number, warmup: number, onRound?: (round: number) => void): RoundTimes<Name> {
  const names = Object.keys(variants) as Name[];
  const empty = () => Object.fromEntries(names.map((name) => [name, [] as number[]])) as
    Record<Name, number[]>;
  const times = { wall: empty(), cpu: empty() };
  for (let round = 0; round < warmup + count; round++) {
    for (const name of names) {
      const { wall, cpu } = timeWallAndCpu(variants[name]);
      if (round < warmup) continue;
      times.wall[name].push(wall);
      times.cpu[name].push(cpu);
    }
    onRound?.(round);
  }
  return times;
}

/** Median over rounds of `numerator[round] / denominator[round]`. */
export function medianRatio(numerator: readonly number[], denominator: readonly number[]): number {
  return median(numerator.map((value, round) => value / denominator[round]));
}
