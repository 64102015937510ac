// Making run folders: every missing level is made, and a place that refuses new folders
// fails at once instead of looping (as Node 20's recursive mkdir does under /proc).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeFolder, nearestExisting } from '../../src/train/storage.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ltm-storage-'));

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('makeFolder', () => {
  it('should make every missing level when the parents do not exist', () => {
    const deep = path.join(scratch, 'a', 'b', 'c');
    makeFolder(deep);
    expect(fs.statSync(deep).isDirectory()).toBe(true);
  });

  it('should do nothing when the folder exists', () => {
    const dir = path.join(scratch, 'there');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'kept.txt'), 'x');
    makeFolder(dir);
    expect(fs.readFileSync(path.join(dir, 'kept.txt'), 'utf8')).toBe('x');
  });

  it('should throw ENOTDIR when a part of the path is a file', () => {
    const file = path.join(scratch, 'file.txt');
    fs.writeFileSync(file, 'x');
    expect(() => makeFolder(path.join(file, 'run'))).toThrow(/ENOTDIR/);
  });

  it.skipIf(!fs.existsSync('/proc/self'))(
    'should fail at once when the parent refuses new folders', () => {
      const script = "import('./src/train/storage.ts').then(({ makeFolder }) => {"
        + " try { makeFolder('/proc/ltm-test/run'); } catch (e) { console.log(e.code); } })";
      const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script],
        { encoding: 'utf8', timeout: 30_000 });
      expect(child.signal).toBeNull();
      expect(child.stdout.trim()).toBe('ENOENT');
    });
});

describe('nearestExisting', () => {
  it('should return the deepest existing folder above a missing path', () => {
    expect(nearestExisting(path.join(scratch, 'missing', 'deeper'))).toBe(scratch);
  });

  it('should return the path itself when it exists', () => {
    expect(nearestExisting(scratch)).toBe(scratch);
  });
});
