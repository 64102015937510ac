// Writing a run's files. A failed write (a full disk, a read-only folder) becomes a
// StorageError that names the file and what to do; one seam lets tests make any write fail.
import fs from 'node:fs';
import path from 'node:path';
import { StorageError } from '../errors.js';

/**
 * Test seam: called with the path of every file about to be written to a run folder. A test
 * sets `beforeWrite` to throw (an ENOSPC error, say) to see how a full disk is handled.
 */
export const storageHooks: { beforeWrite: ((file: string) => void) | null } = {
  beforeWrite: null,
};

const advice: Record<string, string> = {
  ENOSPC: 'the disk is full; free some space',
  EDQUOT: 'the disk quota is used up; free some space',
  EACCES: 'no permission to write there; fix the permissions or choose another folder',
  EPERM: 'no permission to write there; fix the permissions or choose another folder',
  EROFS: 'the file system is read-only; choose another folder',
  ENOTDIR: 'a part of the path is a file, not a folder; choose another folder',
  EEXIST: 'a file is in the way; choose another folder',
  ENOENT: 'no folder can be made there; choose another folder',
};

/** A StorageError for a failed write of `file`; `consequence` says what is still safe. */
export function writeFailure(file: string, error: unknown, consequence = ''): StorageError {
  const code = (error as NodeJS.ErrnoException)?.code ?? '';
  const reason = error instanceof Error ? error.message : String(error);
  const fix = advice[code] ?? 'check the disk and the folder\'s permissions';
  return new StorageError(`${file}: cannot write it (${reason}); ${fix}`
    + (consequence === '' ? '' : `. ${consequence}`));
}

/** Runs one write of `file`, turning a file-system failure into a StorageError. */
export function guardedWrite(file: string, write: () => void, consequence = ''): void {
  try {
    storageHooks.beforeWrite?.(file);
    write();
  } catch (error) {
    if (error instanceof StorageError) throw error;
    throw writeFailure(file, error, consequence);
  }
}

/** Writes `data` to `file` and flushes it to the disk before returning. */
export function writeDurable(file: string, data: Buffer | string, consequence = ''): void {
  guardedWrite(file, () => {
    const handle = fs.openSync(file, 'w');
    try {
      fs.writeFileSync(handle, data);
      fs.fsyncSync(handle);
    } finally {
      fs.closeSync(handle);
    }
  }, consequence);
}

/** The nearest folder or file above `target` (or `target` itself) that exists. */
export function nearestExisting(target: string): string {
  let current = path.resolve(target);
  while (!fs.existsSync(current) && path.dirname(current) !== current) {
    current = path.dirname(current);
  }
  return current;
}

/**
 * Makes the folder `dir` and every missing folder above it, one level at a time.
 * NOTE: Node 20's recursive mkdir loops for ever where a folder refuses new entries with
 * ENOENT (under /proc, say); one level at a time fails at once instead.
 */
export function makeFolder(dir: string): void {
  const missing: string[] = [];
  for (let current = path.resolve(dir); !fs.existsSync(current);
    current = path.dirname(current)) {
    missing.unshift(current);
    if (path.dirname(current) === current) break;
  }
  for (const folder of missing) {
    try {
      fs.mkdirSync(folder);
    } catch (error) {
      const raced = (error as NodeJS.ErrnoException).code === 'EEXIST'
        && fs.statSync(folder).isDirectory();
      if (!raced) throw error;
    }
  }
}
