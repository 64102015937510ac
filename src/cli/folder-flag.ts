// Paths that a flag names for a command to create (--run, --out), checked before any work:
// an empty name, a path through a file, or a place where nothing can be made is bad input.
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { nearestExisting } from '../train/storage.js';

function checkNamed(flag: string, target: string, what: string): void {
  if (target.trim() === '') throw new UsageError(`${flag} is empty; name ${what}`);
}

/** The error code of `attempt`, or null when it succeeds. */
function refusal(attempt: () => void): string | null {
  try {
    attempt();
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'refused';
  }
}

/** Throws a UsageError when `dir` is empty, a file, lies under a file, or cannot be made. */
export function checkFolderFlag(flag: string, dir: string): void {
  checkNamed(flag, dir, 'a new folder (an empty name would write into the current folder)');
  const existing = nearestExisting(dir);
  if (!fs.statSync(existing).isDirectory()) {
    const what = fs.existsSync(dir) ? 'a file' : `${existing} is a file`;
    throw new UsageError(`${flag} ${dir}: ${what}, not a folder; choose another ${flag} folder`);
  }
  // NOTE: permission bits do not bind root, and some file systems (/proc, /sys) refuse new
  // entries whatever their bits say: making the first missing folder is the one sure test.
  const missing = path.relative(existing, path.resolve(dir)).split(path.sep)[0];
  const probe = path.join(existing, missing);
  const code = missing === '' ? refusal(() => fs.accessSync(existing, fs.constants.W_OK))
    : refusal(() => {
      fs.mkdirSync(probe);
      fs.rmdirSync(probe);
    });
  if (code !== null) {
    throw new UsageError(`${flag} ${dir}: nothing can be written in ${existing} (${code}); `
      + `choose another ${flag} folder`);
  }
}

/**
 * Throws a UsageError when the file `file` cannot be written, before any work is done;
 * `example` names a file the message can suggest.
 */
export function checkFileFlag(flag: string, file: string, example: string): void {
  checkNamed(flag, file, 'a file');
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
    throw new UsageError(`${flag} ${file}: a folder, not a file; name a file such as `
      + `${path.join(file, example)}`);
  }
  const folder = path.dirname(path.resolve(file));
  if (!fs.existsSync(folder)) {
    throw new UsageError(`${flag} ${file}: the folder ${folder} does not exist; create it or `
      + 'choose another path');
  }
  if (!fs.statSync(folder).isDirectory()) {
    throw new UsageError(`${flag} ${file}: ${folder} is a file, not a folder; choose another `
      + 'path');
  }
  const existed = fs.existsSync(file);
  const code = refusal(() => fs.closeSync(fs.openSync(file, 'a')));
  if (!existed && code === null) fs.rmSync(file, { force: true });
  if (code !== null) {
    throw new UsageError(`${flag} ${file}: it cannot be written (${code}); choose another path`);
  }
}
