// Folders that reports are tested on: a tiny trained run (with inference-time scaling), the
// main job's pair of runs, a tiny sweep, and a reasoner run written by hand.
import fs from 'node:fs';
import path from 'node:path';
import { vi } from 'vitest';
import { main } from '../../src/cli/program.js';
import { loadConfig, type Config } from '../../src/config/index.js';
import { disposeDecoder } from '../../src/decoder/index.js';
import { runSweep } from '../../src/report/index.js';
import { train } from '../../src/train/trainer.js';
import { reasonScaling } from './reason-scaling-sample.js';

export const tiny = (overrides: string[] = []): Config =>
  loadConfig('configs/tiny.json', ['backend=wasm', ...overrides]).config;

/** Runs `ltm ...args` in this process; returns the exit code and what it printed. */
export async function ltm(...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout.push(String(chunk));
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr.push(String(chunk));
    return true;
  });
  try {
    process.exitCode = undefined;
    await main(['node', 'ltm', ...args]);
    return { code: process.exitCode ?? 0, stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
}

/** Trains configs/tiny.json (with overrides) into `dir`. */
export async function trainTiny(dir: string, overrides: string[] = []): Promise<void> {
  const result = await train(tiny(overrides), { runDir: dir, name: path.basename(dir) });
  disposeDecoder(result.model.decoder);
}

/** A tiny run with inner-steps-scaling.json written by `ltm eval --save`. */
export async function makeRun(dir: string): Promise<void> {
  await trainTiny(dir);
  const saved = await ltm('eval', '--run', dir, '--inner-steps', '0,1,2', '--save', '--json');
  if (saved.code !== 0) throw new Error(`eval --save failed: ${saved.stderr}`);
}

/** The main job's layout: ltm/ and ar/ runs side by side. */
export async function makePair(dir: string): Promise<void> {
  await trainTiny(path.join(dir, 'ltm'));
  await trainTiny(path.join(dir, 'ar'), ['latents.enabled=false']);
}

/** A sweep of latents.perLayer = 1, 2 on the tiny config. */
export async function makeSweep(dir: string): Promise<void> {
  await runSweep(tiny(), [{ path: 'latents.perLayer', values: [1, 2] }], dir);
}

/** A reasoner run folder: config.json of kind reasoner, metrics and reason-scaling.json. */
export function makeReasonerRun(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const config = {
    kind: 'reasoner',
    puzzles: { family: 'sudoku4', train: 512 },
    reasoner: { width: 64, lowSteps: 2, rounds: 4, beta: 0.1 },
    train: { steps: 20, batchSize: 8, lr: 0.001, seed: 3 },
  };
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  const lines = [10, 20].map((step) => JSON.stringify({
    step, loss: 2 / step, crossEntropy: 1.5 / step, kl: 0.5 / step, gradNorm: 1, lr: 0.001,
  }));
  fs.writeFileSync(path.join(dir, 'metrics.jsonl'), lines.join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'reason-scaling.json'), JSON.stringify(reasonScaling));
}
