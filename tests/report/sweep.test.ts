// Sweeps on the miniature config: one results line per cell, decoder size independent of the
// latent count, and resumption that skips finished cells, resumes from checkpoints and
// restarts folders without one, ending with the same numbers as an uninterrupted sweep.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import {
  cellDir, chartsOf, planSweep, readReportSource, readSweepPlan, readSweepResults, runSweep,
  writeReport, type GridAxis, type SweepEvent, type SweepResult,
} from '../../src/report/index.js';
import { tiny } from './fixtures.js';

const grid: GridAxis[] = [
  { path: 'latents.perLayer', values: [1, 2, 4] },
  { path: 'vi.innerSteps', values: [0, 2] },
];

let scratch: string;
let straight: string;
let straightRun: Awaited<ReturnType<typeof runSweep>>;

/** A results line without the fields that differ between two runs of the same cell. */
function numbers(result: SweepResult) {
  const {
    wallSeconds: _wall, tokensPerSecond: _speed, finishedAt: _when, resumedFromStep: _from,
    ...rest
  } = result;
  return rest;
}

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ltm-sweep-'));
  straight = path.join(scratch, 'straight');
  straightRun = await runSweep(tiny(), grid, straight);
});

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('runSweep over latents.perLayer x vi.innerSteps', () => {
  it('should write one results line per cell in grid order when run once', () => {
    const lines = readSweepResults(straight);
    expect(lines.map((line) => line.name)).toEqual([
      'latents.perLayer=1+vi.innerSteps=0', 'latents.perLayer=1+vi.innerSteps=2',
      'latents.perLayer=2+vi.innerSteps=0', 'latents.perLayer=2+vi.innerSteps=2',
      'latents.perLayer=4+vi.innerSteps=0', 'latents.perLayer=4+vi.innerSteps=2',
    ]);
    expect(straightRun).toMatchObject({ trained: 6, interrupted: false });
    expect(straightRun.results).toEqual(lines);
    for (const line of lines) {
      expect(line.steps).toBe(4);
      expect(line.boundBitsPerByte).toBeCloseTo(line.nllBitsPerByte! + line.klBitsPerByte!, 9);
      expect(Number.isFinite(line.suffixNllBitsPerByte)).toBe(true);
      expect(line.tokensPerSecond).toBeGreaterThan(0);
    }
  });

  it('should keep the decoder size and grow the latent size when latents.perLayer grows', () => {
    const lines = readSweepResults(straight);
    // Embedding 256 x 16, final gain 16, one block: 2 gains, 4 attention and 3 MLP matrices,
    // and cross-attention (a gain, 2 of 16 x 16, 2 of latentDim 8 x 16).
    const block = 2 * 16 + 4 * 16 * 16 + 3 * 16 * 32 + 16 + 2 * 16 * 16 + 2 * 8 * 16;
    expect(lines.map((line) => line.decoderParameters))
      .toEqual(Array(6).fill(256 * 16 + 16 + block));
    // L * K * latentDim = 1 * K * 8.
    expect(lines.map((line) => line.latentFloatsPerSequence)).toEqual([8, 8, 16, 16, 32, 32]);
    expect(lines.map((line) => line.innerSteps)).toEqual([0, 2, 0, 2, 0, 2]);
  });

  it('should save the resolved base config and the grid in sweep.json', () => {
    const plan = readSweepPlan(straight)!;
    expect(plan.base).toEqual(tiny());
    expect(plan.grid).toEqual(grid);
    expect(plan.cells[5]).toEqual({ name: 'latents.perLayer=4+vi.innerSteps=2',
      overrides: ['latents.perLayer=4', 'vi.innerSteps=2'] });
    const cell = JSON.parse(fs.readFileSync(path.join(cellDir(straight, plan.cells[5].name),
      'config.json'), 'utf8'));
    expect(cell.latents.perLayer).toBe(4);
    expect(cell.vi.innerSteps).toBe(2);
  });

  it('should train nothing and keep the results when a finished sweep is run again', async () => {
    const before = fs.readFileSync(path.join(straight, 'results.jsonl'), 'utf8');
    const again = await runSweep(tiny(), grid, straight);
    expect(again.trained).toBe(0);
    expect(fs.readFileSync(path.join(straight, 'results.jsonl'), 'utf8')).toBe(before);
  });

  it('should refuse the folder and change nothing when the grid differs', async () => {
    const other = [{ path: 'latents.perLayer', values: [1, 2] }];
    await expect(runSweep(tiny(), other, straight)).rejects.toThrow(ConfigError);
    await expect(runSweep(tiny(['train.seed=2']), grid, straight))
      .rejects.toThrow(/holds a sweep of another config or grid/);
    expect(readSweepPlan(straight)!.grid).toEqual(grid);
  });

  it('should write nothing when a grid value is invalid', () => {
    const target = path.join(scratch, 'never');
    const bad = [{ path: 'latents.perLayer', values: [2, -1] }];
    expect(() => planSweep(tiny(), bad, target)).toThrow(/sweep cell latents.perLayer=-1/);
    return expect(runSweep(tiny(), bad, target)).rejects.toThrow(ConfigError)
      .then(() => expect(fs.existsSync(target)).toBe(false));
  });
});

describe('runSweep resuming', () => {
  it('should skip finished cells, resume from a checkpoint and restart a bare folder', async () => {
    const dir = path.join(scratch, 'resumed');
    // Stop during the second cell, after its second step (its checkpoint is then at step 2).
    let cellIndex = -1;
    let steps = 0;
    const stopped = await runSweep(tiny(), grid, dir, {
      onEvent: (event) => {
        if (event.type === 'cell-start') cellIndex = event.index;
        if (event.type === 'train' && event.event.type === 'step' && cellIndex === 1) steps += 1;
      },
      shouldStop: () => cellIndex === 1 && steps >= 2,
    });
    expect(stopped).toMatchObject({ trained: 2, interrupted: true });
    expect(readSweepResults(dir)).toHaveLength(1);
    // A folder without a checkpoint, as left by a crash before the first one.
    const bare = cellDir(dir, 'latents.perLayer=2+vi.innerSteps=2');
    fs.mkdirSync(bare, { recursive: true });
    fs.writeFileSync(path.join(bare, 'metrics.jsonl'), '{"step":99}\n');

    const events: SweepEvent[] = [];
    const resumed = await runSweep(tiny(), grid, dir, { onEvent: (event) => events.push(event) });
    const starts = events.flatMap((event) => (event.type === 'cell-start'
      ? [[event.cell.name, event.status]] : []));
    expect(starts).toEqual([
      ['latents.perLayer=1+vi.innerSteps=2', 'resume'],
      ['latents.perLayer=2+vi.innerSteps=0', 'new'],
      ['latents.perLayer=2+vi.innerSteps=2', 'restart'],
      ['latents.perLayer=4+vi.innerSteps=0', 'new'],
      ['latents.perLayer=4+vi.innerSteps=2', 'new'],
    ]);
    const trainStarts = events.flatMap((event) => (event.type === 'train'
      && event.event.type === 'start' ? [event.event.step] : []));
    expect(trainStarts).toEqual([2, 0, 0, 0, 0]);
    expect(resumed.trained).toBe(5);
    expect(resumed.results[1].resumedFromStep).toBe(2);

    // The same numbers as without the interruption, and clean metric files.
    expect(resumed.results.map(numbers)).toEqual(straightRun.results.map(numbers));
    const metricSteps = (name: string) => fs.readFileSync(path.join(cellDir(dir, name),
      'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line).step);
    expect(metricSteps('latents.perLayer=1+vi.innerSteps=2')).toEqual([1, 2, 4]);
    expect(metricSteps('latents.perLayer=2+vi.innerSteps=2')).toEqual([1, 2, 4]);
  });

  it('should ignore a results line cut short and run its cell again', async () => {
    const dir = path.join(scratch, 'cut');
    const small = [{ path: 'latents.perLayer', values: [1, 2] }];
    await runSweep(tiny(), small, dir);
    const file = path.join(dir, 'results.jsonl');
    const [first, second] = fs.readFileSync(file, 'utf8').trim().split('\n');
    fs.writeFileSync(file, `${first}\n${second.slice(0, 40)}`);
    expect(readSweepResults(dir).map((line) => line.name)).toEqual(['latents.perLayer=1']);

    const again = await runSweep(tiny(), small, dir);
    expect(again.trained).toBe(1);
    expect(readSweepResults(dir).map(numbers)).toEqual([first, second]
      .map((line) => numbers(JSON.parse(line))));
  });
});

describe('runSweep with a cell that diverges', () => {
  it('should record the divergence, go on, and leave the cell out of the charts', async () => {
    const dir = path.join(scratch, 'diverging');
    const outcome = await runSweep(tiny(), [
      { path: 'train.lr', values: [1e30, 0.002] },
    ], dir);
    expect(outcome.trained).toBe(2);
    const [diverged, fine] = readSweepResults(dir);
    expect(diverged).toMatchObject({ name: 'train.lr=1e+30', steps: 2, boundBitsPerByte: null,
      decoderParameters: 7488 });
    expect(diverged.diverged).toMatch(/^step 2: the .* is not finite/);
    expect(fine.diverged).toBeUndefined();

    const bound = chartsOf(readReportSource(dir)).find((chart) => chart.name === 'sweep-bound')!;
    const points = (bound.spec as unknown as { data: { values: { x: unknown }[] } }).data.values;
    expect(points.map((point) => point.x)).toEqual([0.002]);
    const page = fs.readFileSync((await writeReport(dir)).html, 'utf8');
    expect(page).toContain('<td>diverged</td>');
  });
});
