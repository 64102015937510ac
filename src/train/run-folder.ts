// A run's folder: the resolved config, the seed and versions it ran with, metrics as JSON
// lines, evaluations and checkpoints. Report and analysis code reads runs from here.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { CheckpointError } from '../errors.js';
import { validateConfig, type Config } from '../config/index.js';
import {
  describeJsonProblem, findJsonSyntaxProblem, parseJson, readJsonFile,
} from '../json.js';
import { guardedWrite, makeFolder } from './storage.js';

const require = createRequire(import.meta.url);

/** The package's own version, recorded in every run. */
export function packageVersion(): string {
  return (require('../../package.json') as { version: string }).version;
}

export interface RunMeta {
  name: string;
  seed: number;
  packageVersion: string;
  backend: string;
  createdAt: string;
  node: string;
}

/** A default run folder name: `runs/<name>-<yyyymmdd-hhmmss>`. */
export function defaultRunDir(name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return path.join('runs', `${name}-${stamp}`);
}

/** Creates the folder with config.json and meta.json. */
export function createRunFolder(dir: string, config: Config, meta: RunMeta): void {
  guardedWrite(dir, () => makeFolder(dir));
  writeJson(dir, 'config.json', config);
  writeJson(dir, 'meta.json', meta);
}

/** Appends one JSON object as a line of `file` in the run folder. */
export function appendJsonLine(dir: string, file: string, record: object): void {
  const target = path.join(dir, file);
  guardedWrite(target, () => fs.appendFileSync(target, JSON.stringify(record) + '\n'),
    'The checkpoints are unaffected');
}

/** Writes a JSON file atomically (temporary file, then rename). */
export function writeJson(dir: string, file: string, value: unknown): void {
  const target = path.join(dir, file);
  const staging = `${target}.partial-${process.pid}`;
  try {
    guardedWrite(target, () => {
      fs.writeFileSync(staging, JSON.stringify(value, null, 2) + '\n');
      fs.renameSync(staging, target);
    });
  } finally {
    fs.rmSync(staging, { force: true });
  }
}

/**
 * Drops the lines of a JSON-lines file that a resumed run will write again: those past
 * `step`, and a last line cut short when the process died while appending it.
 */
export function truncateJsonLines(dir: string, file: string, step: number): void {
  const full = path.join(dir, file);
  if (!fs.existsSync(full)) return;
  const kept = fs.readFileSync(full, 'utf8').split('\n').filter((line) => {
    try {
      return (JSON.parse(line) as { step: number }).step <= step;
    } catch {
      return false;
    }
  });
  const staging = `${full}.partial-${process.pid}`;
  guardedWrite(full, () => {
    fs.writeFileSync(staging, kept.map((line) => line + '\n').join(''));
    fs.renameSync(staging, full);
  });
}

/** The resolved config and metadata of an existing run, validated. */
export function readRun(dir: string): { config: Config; meta: RunMeta } {
  const configFile = path.join(dir, 'config.json');
  if (!fs.existsSync(configFile)) {
    throw new CheckpointError(`${dir}: not a run folder (no config.json); pass the folder `
      + 'that ltm train wrote');
  }
  const raw = readJsonFile(configFile, (reason) => new CheckpointError(`${configFile}: `
    + `${reason}; the run folder is damaged: mend or restore config.json`));
  const config = validateConfig(raw, configFile);
  return { config, meta: readMeta(dir, config) };
}

function readMeta(dir: string, config: Config): RunMeta {
  const metaFile = path.join(dir, 'meta.json');
  const fallback = { name: path.basename(dir), seed: config.train.seed, packageVersion: '',
    backend: '', createdAt: '', node: '' };
  if (!fs.existsSync(metaFile)) return fallback;
  const meta = readJsonFile(metaFile, (reason) => new CheckpointError(`${metaFile}: ${reason}; `
    + 'the run folder is damaged: delete meta.json (it only records names and versions) and '
    + 'try again'));
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
    throw new CheckpointError(`${metaFile}: not a JSON object; delete it and try again`);
  }
  return { ...fallback, ...meta };
}

/** The metric lines of a run, oldest first; a last line cut short by a crash is left out. */
export function readJsonLines<T>(dir: string, file: string): T[] {
  const full = path.join(dir, file);
  if (!fs.existsSync(full)) return [];
  const lines = fs.readFileSync(full, 'utf8').split('\n');
  const records: T[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    // The last line alone may be cut short by a crash; that one is dropped, not reported.
    if (index === lines.length - 1 && findJsonSyntaxProblem(line) !== null) return;
    records.push(parseJson(line, (problem) => new CheckpointError(`${full}:${index + 1}: not `
      + `valid JSON at ${describeJsonProblem(problem, { showLine: false })}; the run folder is `
      + 'damaged: remove that line')) as T);
  });
  return records;
}
