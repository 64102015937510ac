// A folder that a flag names for a command to create (--run, --out), checked before any work:
// a path through a file, or a place where no folder can be made, is bad input.
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { nearestExisting } from '../train/storage.js';

/** Throws a UsageError when `dir` is a file, lies under a file, or cannot be made. */
export function checkFolderFlag(flag: string, dir: string): void {
  const existing = nearestExisting(dir);
  if (!fs.statSync(existing).isDirectory()) {
    const what = fs.existsSync(dir) ? 'a file' : `${existing} is a file`;
    throw new UsageError(`${flag} ${dir}: ${what}, not a folder; choose another ${flag} folder`);
  }
  if (existing === path.resolve(dir)) return;
  // NOTE: permission bits do not bind root, and some file systems (/proc, /sys) refuse new
  // entries whatever their bits say: making the first missing folder is the one sure test.
  const probe = path.join(existing, path.relative(existing, path.resolve(dir)).split(path.sep)[0]);
  try {
    fs.mkdirSync(probe);
    fs.rmdirSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'refused';
    throw new UsageError(`${flag} ${dir}: no folder can be made in ${existing} (${code}); `
      + `choose another ${flag} folder`);
  }
}
