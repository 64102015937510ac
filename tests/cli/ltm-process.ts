// Runs the real `ltm` command as a child process, for the tests that need a process of its
// own: exit codes as the shell sees them, signals, and kills at chosen moments.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A running `ltm`: its output so far and a promise of how it ended. */
export interface LtmProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process is gone: its exit code, or the signal that ended it. */
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node --import tsx src/cli/main.ts ...args` in the package root. */
export function startLtm(args: string[], env: Record<string, string> = {}): LtmProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args],
    { cwd: packageRoot, env: { ...process.env, LTM_DEBUG: '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => { stdout += chunk; });
  child.stderr!.on('data', (chunk) => { stderr += chunk; });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal }));
    });
  return { child, stdout: () => stdout, stderr: () => stderr, ended };
}

/** Polls `condition` every 20 ms; fails after `timeoutMs`, naming what it waited for. */
export async function waitFor(what: string, condition: () => boolean,
  timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
