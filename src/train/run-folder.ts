// A run's folder: the resolved config, the seed and versions it ran with, metrics as JSON
// lines, evaluations and checkpoints. Report and analysis code reads runs from here.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { CheckpointError } from '../errors.js';
import { validateConfig, type Config } from '../config/index.js';

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
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
}

/** Appends one JSON object as a line of `file` in the run folder. */
export function appendJsonLine(dir: string, file: string, record: object): void {
  fs.appendFileSync(path.join(dir, file), JSON.stringify(record) + '\n');
}

/** Writes a JSON file atomically (temporary file, then rename). */
export function writeJson(dir: string, file: string, value: unknown): void {
  const target = path.join(dir, file);
  const staging = `${target}.partial-${process.pid}`;
  fs.writeFileSync(staging, JSON.stringify(value, null, 2) + '\n');
  fs.renameSync(staging, target);
}

/** The resolved config and metadata of an existing run, validated. */
export function readRun(dir: string): { config: Config; meta: RunMeta } {
  const configFile = path.join(dir, 'config.json');
  if (!fs.existsSync(configFile)) {
    throw new CheckpointError(`${dir}: not a run folder (no config.json); pass the folder `
      + 'that ltm train wrote');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(configFile, 'utf8'));
  } catch {
    throw new CheckpointError(`${configFile}: not valid JSON; the run folder is damaged`);
  }
  const config = validateConfig(raw, configFile);
  const metaFile = path.join(dir, 'meta.json');
  const meta = fs.existsSync(metaFile)
    ? JSON.parse(fs.readFileSync(metaFile, 'utf8')) as RunMeta
    : { name: path.basename(dir), seed: config.train.seed, packageVersion: '', backend: '',
      createdAt: '', node: '' };
  return { config, meta };
}

/** The metric lines of a run, oldest first. */
export function readJsonLines<T>(dir: string, file: string): T[] {
  const full = path.join(dir, file);
  if (!fs.existsSync(full)) return [];
  return fs.readFileSync(full, 'utf8').split('\n').filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}
