// Kills a real `ltm train` with SIGKILL at seeded random moments, resuming it each time,
// until it finishes; then checks it ended exactly like a run never stopped.
// Usage: npx tsx scripts/kill-loop.ts [kills=40] [folder=/tmp/ltm-kill-loop]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../src/cli/program.js';
import { createRng } from '../src/random.js';
import { latestCheckpoint } from '../src/train/checkpoint.js';
import { readJsonLines } from '../src/train/run-folder.js';

const kills = Number(process.argv[2] ?? 40);
const root = process.argv[3] ?? '/tmp/ltm-kill-loop';
const settings = ['train.steps=24', 'train.logEvery=1', 'train.checkpointEvery=3',
  'train.keepCheckpoints=2'].flatMap((value) => ['--set', value]);
const fresh = (dir: string) => ['train', '--config', 'configs/tiny.json', ...settings,
  '--run', dir];

/** Metric lines without their wall-clock fields, as one string to compare. */
function metrics(dir: string): string {
  return JSON.stringify(readJsonLines<Record<string, number>>(dir, 'metrics.jsonl')
    .map(({ elapsedSeconds: _elapsed, tokensPerSecond: _speed, ...rest }) => rest));
}

/**
 * Starts `ltm` with slow checkpoint writes and kills it `ms` after training starts (its
 * first line); resolves true if it finished by itself first.
 */
function runFor(args: string[], ms: number): Promise<boolean> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args],
    { env: { ...process.env, LTM_TEST_CHECKPOINT_PAUSE_MS: '100' },
      stdio: ['ignore', 'pipe', 'ignore'] });
  let timer: NodeJS.Timeout | undefined;
  child.stdout.once('data', () => {
    timer = setTimeout(() => child.kill('SIGKILL'), ms);
  });
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

function describeState(dir: string): string {
  const latest = latestCheckpoint(dir);
  const root = path.join(dir, 'checkpoints');
  const partial = fs.existsSync(root)
    ? fs.readdirSync(root).filter((name) => name.includes('.partial-')) : [];
  const last = JSON.parse(metrics(dir)).at(-1)?.step ?? 0;
  return `last metric step ${last}, latest ${latest === null ? 'none' : path.basename(latest)}`
    + `${partial.length > 0 ? `, half-written ${partial.join(' ')}` : ''}`;
}

fs.rmSync(root, { recursive: true, force: true });
const reference = path.join(root, 'uninterrupted');
const dir = path.join(root, 'killed');
if ((await runCli(fresh(reference))).code !== 0) throw new Error('the reference run failed');
const rng = createRng('kill-loop');
for (let kill = 1; kill <= kills; kill++) {
  const delay = rng.int(2500);
  const args = fs.existsSync(path.join(dir, 'config.json'))
    ? ['train', '--run', dir, '--resume'] : fresh(dir);
  if (await runFor(args, delay)) break;
  // latestCheckpoint throws if latest.json names a folder that is missing.
  console.log(`kill ${kill}, ${delay} ms into training: ${describeState(dir)}`);
}
const finished = await runCli(['train', '--run', dir, '--resume']);
const evaluation = (run: string) => fs.readFileSync(path.join(run, 'eval-valid.json'), 'utf8');
console.log(`final resume: exit ${finished.code}; metrics.jsonl identical: `
  + `${metrics(dir) === metrics(reference)}; eval-valid.json identical: `
  + `${evaluation(dir) === evaluation(reference)}`);
