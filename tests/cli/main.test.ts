// Smoke runs of the real `ltm` command line on the miniature config: train, eval, params,
// generate and infer; bad configs exit 2 with one message and write nothing; every
// command's --help exits 0.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/program.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const timeout = 90_000;

interface Outcome { code: number | null; stdout: string; stderr: string }

/** Runs `node --import tsx src/cli/main.ts ...args` from the package root. */
function ltm(...args: string[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { cwd: root, env: { ...process.env, LTM_DEBUG: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let scratch: string;
let run: string;
let trained: Outcome;

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ltm-cli-'));
  run = path.join(scratch, 'run');
  trained = await ltm('train', '--config', 'configs/tiny.json', '--run', run);
}, timeout);

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('ltm train', () => {
  it('should exit 0 and fill the run folder when given configs/tiny.json', () => {
    expect(trained.stderr).toBe('');
    expect(trained.code).toBe(0);
    for (const file of ['config.json', 'meta.json', 'metrics.jsonl', 'latest.json',
      'checkpoints/step-00000004/manifest.json', 'checkpoints/step-00000004/weights.bin']) {
      expect(fs.existsSync(path.join(run, file)), file).toBe(true);
    }
    const lines = fs.readFileSync(path.join(run, 'metrics.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((line) => JSON.parse(line).step)).toEqual([1, 2, 4]);
    expect(trained.stdout).toContain(`run folder: ${run}`);
  });
});

describe.concurrent('ltm commands on the trained run', () => {
  it('should print one JSON object with every bits-per-byte number when eval --json',
    async ({ expect }) => {
      const { code, stdout } = await ltm('eval', '--run', run, '--json');
      expect(code).toBe(0);
      expect(stdout.trim().split('\n')).toHaveLength(1);
      const report = JSON.parse(stdout);
      for (const key of ['nllBitsPerByte', 'klBitsPerByte', 'boundBitsPerByte',
        'suffixNllBitsPerByte', 'nllAtPriorMeanBitsPerByte']) {
        expect(Number.isFinite(report[key]), key).toBe(true);
      }
      expect(report.boundBitsPerByte).toBeCloseTo(report.nllBitsPerByte + report.klBitsPerByte, 9);
      expect(report.klBitsPerByte).toBeGreaterThanOrEqual(0);
      // L * K * latentDim = 1 * 2 * 8 latent units, of which some number are active.
      expect(report.latentUnits).toBe(16);
      expect(Number.isInteger(report.activeUnits)).toBe(true);
      expect(report.step).toBe(4);
      expect(report.sequences).toBe(8);
    }, timeout);

  it('should print parameter and latent counts when params --json reads default.json',
    async ({ expect }) => {
      const [plain, wide] = await Promise.all([
        ltm('params', '--config', 'configs/default.json', '--set', 'latents.dim=32', '--json'),
        ltm('params', '--config', 'configs/default.json', '--set', 'latents.dim=32',
          '--set', 'latents.perLayer=16', '--json'),
      ]);
      expect([plain.code, wide.code]).toEqual([0, 0]);
      const counts = JSON.parse(plain.stdout);
      const wider = JSON.parse(wide.stdout);
      // Embedding 256 x 128, final gain 128, and per block: 2 gains, 4 attention matrices,
      // 3 MLP matrices (384 hidden), cross-attention (a gain, 2 of 128 x 128, 2 of 32 x 128).
      const block = 2 * 128 + 4 * 128 * 128 + 3 * 128 * 384 + 128 + 2 * 128 * 128 + 2 * 32 * 128;
      expect(counts.decoderParameters).toBe(256 * 128 + 128 + 2 * block);
      expect(counts.latentFloatsPerSequence).toBe(2 * 4 * 32);
      expect(wider.decoderParameters).toBe(counts.decoderParameters);
      expect(wider.latentFloatsPerSequence).toBe(2 * 16 * 32);
    }, timeout);

  it('should print one sample of at most 5 characters when generate --max-tokens 5 --json',
    async ({ expect }) => {
      const { code, stdout } = await ltm('generate', '--run', run, '--max-tokens', '5', '--json');
      expect(code).toBe(0);
      const output = JSON.parse(stdout);
      expect(output.prompt).toBe('');
      expect(output.samples).toHaveLength(1);
      expect(output.samples[0].length).toBeGreaterThanOrEqual(1);
      expect(output.samples[0].length).toBeLessThanOrEqual(5);
    }, timeout);

  it('should print each window\'s posterior when infer reads a text file',
    async ({ expect }) => {
      const text = path.join(scratch, 'speech.txt');
      // 40 bytes: two windows of sequenceLength + 1 = 17 tokens.
      fs.writeFileSync(text, 'We the People of the United States, in o');
      const { code, stdout, stderr } = await ltm('infer', '--run', run, '--text', text);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const output = JSON.parse(stdout);
      expect(output.shape).toEqual({ layers: 1, perLayer: 2, dim: 8 });
      expect(output.windows.map((window: { start: number }) => window.start)).toEqual([0, 17]);
      const [first] = output.windows;
      expect(first.text).toBe('We the People of ');
      // [1, L, K, Dz] per window.
      expect(first.mean).toHaveLength(1);
      expect(first.mean[0]).toHaveLength(1);
      expect(first.mean[0][0]).toHaveLength(2);
      expect(first.mean[0][0][0]).toHaveLength(8);
      expect(first.variance.flat(3).every((value: number) => value > 0)).toBe(true);
    }, timeout);
});

describe.concurrent('ltm train with a bad config', () => {
  const cases: { problem: string; config: object; field: string }[] = [
    { problem: 'an unknown key', config: { model: { widht: 16 } }, field: 'model.widht' },
    { problem: 'a wrong type', config: { train: { steps: 'many' } }, field: 'train.steps' },
    { problem: 'kind text without a path', config: { data: { kind: 'text' } },
      field: 'data.path' },
  ];

  it.for(cases)('should exit 2 naming $field and write no run folder when given $problem',
    { timeout }, async ({ config, field }, { expect }) => {
      const name = field.replace('.', '-');
      const file = path.join(scratch, `${name}.json`);
      fs.writeFileSync(file, JSON.stringify(config));
      const target = path.join(scratch, `run-${name}`);
      const { code, stdout, stderr } = await ltm('train', '--config', file, '--run', target);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.startsWith(`ltm: ${file}: invalid config\n`)).toBe(true);
      expect(stderr.match(/ltm:/g)).toHaveLength(1);
      expect(stderr).toContain(`  - ${field}:`);
      expect(stderr).not.toContain('    at ');
      expect(fs.existsSync(target)).toBe(false);
    });
});

// NOTE: in-process through main(), which is all src/cli/main.ts runs; the spawned commands
// above already show that its exit code becomes the process's.
describe('ltm --help', () => {
  it.each(['train', 'eval', 'generate', 'infer', 'params', 'main'])(
    'should set exit code 0 and print usage when %s --help is parsed', async (command) => {
      const written: string[] = [];
      const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
        written.push(String(chunk));
        return true;
      });
      try {
        process.exitCode = undefined;
        await main(['node', 'ltm', command, '--help']);
        expect(process.exitCode).toBe(0);
      } finally {
        write.mockRestore();
        process.exitCode = undefined;
      }
      expect(written.join('')).toContain(`Usage: ltm ${command} [options]`);
    });

  it('should set exit code 2 when a flag is unknown', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await main(['node', 'ltm', 'params', '--no-such-flag']);
      expect(process.exitCode).toBe(2);
    } finally {
      write.mockRestore();
      process.exitCode = undefined;
    }
  });
});
