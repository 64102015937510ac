// `ltm sweep`, `ltm report` and `ltm eval --save` through the real command line (in this
// process): bad grids exit 2 before anything is written, a tiny sweep runs, resumes from
// --out alone and gets its report, and inference-time scaling is saved into the run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ltm } from '../report/fixtures.js';

let scratch: string;
let sweep: string;
let swept: Awaited<ReturnType<typeof ltm>>;
const base = ['sweep', '--config', 'configs/tiny.json', '--set', 'backend=wasm'];

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ltm-sweep-cli-'));
  sweep = path.join(scratch, 'sweep');
  swept = await ltm(...base, '--grid', 'latents.perLayer=1,2', '--out', sweep);
});

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('ltm sweep with bad input', () => {
  it('should exit 2 naming the cell and the field, and write nothing, when a value is bad',
    async () => {
      const out = path.join(scratch, 'bad-value');
      const result = await ltm(...base, '--grid', 'latents.perLayer=1,0',
        '--grid', 'vi.innerSteps=2', '--out', out);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('sweep cell latents.perLayer=0+vi.innerSteps=2: invalid');
      expect(result.stderr).toContain('  - latents.perLayer: must be >= 1');
      expect(result.stderr).not.toContain('    at ');
      expect(fs.existsSync(out)).toBe(false);
    });

  it('should exit 2 when the grid names an unknown field', async () => {
    const result = await ltm(...base, '--grid', 'latents.perlayer=1', '--out', scratch);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("'latents.perlayer' is not a config field");
  });

  it('should exit 2 when --grid is missing, or given without --config', async () => {
    const missing = await ltm(...base, '--out', path.join(scratch, 'none'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('sweep needs at least one --grid');
    const bare = await ltm('sweep', '--grid', 'vi.innerSteps=1', '--out', scratch);
    expect(bare.code).toBe(2);
    const empty = await ltm('sweep', '--out', path.join(scratch, 'none'));
    expect(empty.stderr).toContain('no sweep.json');
    expect(empty.code).toBe(2);
  });

  it('should list the cells and write nothing when --dry-run is given', async () => {
    const out = path.join(scratch, 'dry');
    const result = await ltm(...base, '--grid', 'latents.perLayer=1,2',
      '--grid', 'vi.innerSteps=0,4', '--out', out, '--dry-run');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('4 cells, 4 to train:');
    expect(result.stdout).toContain('  4. latents.perLayer=2+vi.innerSteps=4: new');
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('ltm sweep on the tiny config', () => {
  it('should exit 0 with a results line per cell and a summary table', () => {
    expect(swept.stderr).toBe('');
    expect(swept.code).toBe(0);
    const lines = fs.readFileSync(path.join(sweep, 'results.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((line) => JSON.parse(line).latentFloatsPerSequence)).toEqual([8, 16]);
    expect(swept.stdout).toContain('[2/2] latents.perLayer=2: new');
    expect(swept.stdout).toMatch(/latents\.perLayer=2 +\d\.\d{3} +\d\.\d{3} +7488 +16/);
  });

  it('should resume from sweep.json and train nothing when only --out is given', async () => {
    const result = await ltm('sweep', '--out', sweep);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('2 cells, 0 to train:');
    expect(result.stdout).not.toContain('[1/2]');
  });

  it('should exit 2 before printing a plan when --out holds a sweep of another grid',
    async () => {
      const before = fs.readFileSync(path.join(sweep, 'results.jsonl'), 'utf8');
      const result = await ltm(...base, '--grid', 'latents.perLayer=1,4', '--out', sweep);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${sweep}: holds a sweep of another config or grid`);
      expect(result.stdout).toBe('');
      expect(fs.readFileSync(path.join(sweep, 'results.jsonl'), 'utf8')).toBe(before);
    });
});

describe('ltm report and ltm eval --save', () => {
  it('should write report.html and the charts when given the sweep folder', async () => {
    const result = await ltm('report', sweep);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`report: ${path.join(sweep, 'report.html')}`);
    for (const chart of ['sweep-bound', 'sweep-suffix-nll', 'sweep-parameters',
      'training-curves']) {
      expect(fs.existsSync(path.join(sweep, `${chart}.svg`)), chart).toBe(true);
    }
  });

  it('should exit 2 when the folder holds no run', async () => {
    const result = await ltm('report', path.join(scratch, 'missing'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no such folder');
  });

  it('should save inner-steps-scaling.json into the run when --save is given', async () => {
    const run = path.join(sweep, 'cells', 'latents.perLayer=1');
    const result = await ltm('eval', '--run', run, '--inner-steps', '0,1', '--save', '--json');
    expect(result.code).toBe(0);
    const saved = JSON.parse(fs.readFileSync(path.join(run, 'inner-steps-scaling.json'), 'utf8'));
    expect(saved).toMatchObject({ split: 'valid', step: 4 });
    expect(saved.scaling).toEqual(JSON.parse(result.stdout).scaling);
    expect(saved.scaling.map((entry: { innerSteps: number }) => entry.innerSteps))
      .toEqual([0, 1]);
  });

  it('should exit 2 without loading the run when --save comes without --inner-steps',
    async () => {
      const result = await ltm('eval', '--run', path.join(scratch, 'missing'), '--save');
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--save writes inner-steps-scaling.json; add --inner-steps');
    });

  it.each(['sweep', 'report'])('should exit 0 and print usage when %s --help is given',
    async (command) => {
      const result = await ltm(command, '--help');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: ltm ${command}`);
    });
});
