// Checkpoints: decoder weights, optimiser moments and the run's counters and random states,
// written atomically (a temporary folder renamed into place) with a manifest of shapes,
// sizes and SHA-256 checksums that loading verifies. Plain data only: nothing is evaluated.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { tf, type Tensor, type Variable } from '../backend/index.js';
import { CheckpointError } from '../errors.js';
import type { RngState } from '../random.js';
import type { AdamWState } from './adamw.js';

/** Counters and random states that let a resumed run continue exactly. */
export interface TrainingState {
  step: number;
  batchRng: RngState;
  noiseRng: RngState;
  skippedBatches: number;
}

interface TensorEntry { name: string; shape: number[]; offset: number; length: number }

interface Manifest {
  format: 'latent-thought-checkpoint';
  version: 1;
  step: number;
  tensors: { weights: TensorEntry[]; optimizer: TensorEntry[] };
  files: Record<string, { bytes: number; sha256: string }>;
}

const latestFile = 'latest.json';

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function writeFileSynced(file: string, data: Buffer | string): void {
  const handle = fs.openSync(file, 'w');
  try {
    fs.writeFileSync(handle, data);
    fs.fsyncSync(handle);
  } finally {
    fs.closeSync(handle);
  }
}

/** Concatenates named tensors into one float32 buffer and lists where each one sits. */
function pack(named: [string, Tensor][]): { data: Buffer; entries: TensorEntry[] } {
  const entries: TensorEntry[] = [];
  const total = named.reduce((sum, [, tensor]) => sum + tensor.size, 0);
  const floats = new Float32Array(total);
  let offset = 0;
  for (const [name, tensor] of named) {
    floats.set(tensor.dataSync() as Float32Array, offset);
    entries.push({ name, shape: tensor.shape.slice(), offset, length: tensor.size });
    offset += tensor.size;
  }
  return { data: Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength), entries };
}

function stepFolder(step: number): string {
  return `step-${String(step).padStart(8, '0')}`;
}

/** What a checkpoint holds, as the trainer sees it. */
export interface CheckpointContent {
  params: [string, Variable][];
  optimizer: AdamWState;
  state: TrainingState;
}

function optimizerTensors(optimizer: AdamWState): [string, Tensor][] {
  const named: [string, Tensor][] = [];
  for (const [name, tensor] of optimizer.firstMoment) named.push([`m.${name}`, tensor]);
  for (const [name, tensor] of optimizer.secondMoment) named.push([`v.${name}`, tensor]);
  return named;
}

/**
 * Writes a checkpoint under `folder/checkpoints/`, points `latest.json` at it, and keeps
 * only the newest `keep`. A crash at any moment leaves the previous checkpoint loadable.
 */
export function saveCheckpoint(folder: string, content: CheckpointContent, keep: number): string {
  const root = path.join(folder, 'checkpoints');
  fs.mkdirSync(root, { recursive: true });
  const name = stepFolder(content.state.step);
  const staging = path.join(root, `.${name}.partial-${process.pid}`);
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging);

  const weights = pack(content.params);
  const moments = pack(optimizerTensors(content.optimizer));
  const state = Buffer.from(JSON.stringify({ ...content.state,
    optimizerStep: content.optimizer.step }, null, 2));
  const files = { 'weights.bin': weights.data, 'optimizer.bin': moments.data, 'state.json': state };
  const manifest: Manifest = {
    format: 'latent-thought-checkpoint',
    version: 1,
    step: content.state.step,
    tensors: { weights: weights.entries, optimizer: moments.entries },
    files: {},
  };
  for (const [file, data] of Object.entries(files)) {
    writeFileSynced(path.join(staging, file), data);
    manifest.files[file] = { bytes: data.length, sha256: sha256(data) };
  }
  writeFileSynced(path.join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2));

  const target = path.join(root, name);
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(staging, target);
  const pointer = path.join(folder, `.${latestFile}.partial-${process.pid}`);
  writeFileSynced(pointer, JSON.stringify({ checkpoint: `checkpoints/${name}` }) + '\n');
  fs.renameSync(pointer, path.join(folder, latestFile));
  pruneCheckpoints(root, keep);
  return target;
}

function pruneCheckpoints(root: string, keep: number): void {
  const complete = fs.readdirSync(root).filter((entry) => /^step-\d+$/.test(entry)).sort();
  for (const old of complete.slice(0, Math.max(0, complete.length - keep))) {
    fs.rmSync(path.join(root, old), { recursive: true, force: true });
  }
  for (const entry of fs.readdirSync(root)) {
    if (entry.includes('.partial-')) {
      fs.rmSync(path.join(root, entry), { recursive: true, force: true });
    }
  }
}

/** The folder of the newest complete checkpoint of a run, or null when there is none. */
export function latestCheckpoint(folder: string): string | null {
  const pointer = path.join(folder, latestFile);
  if (!fs.existsSync(pointer)) return null;
  let relative: unknown;
  try {
    relative = JSON.parse(fs.readFileSync(pointer, 'utf8')).checkpoint;
  } catch {
    throw new CheckpointError(`${pointer}: not valid JSON; delete it to resume from scratch`);
  }
  if (typeof relative !== 'string' || !/^checkpoints\/step-\d+$/.test(relative)) {
    throw new CheckpointError(`${pointer}: 'checkpoint' must name checkpoints/step-N`);
  }
  return path.join(folder, relative);
}

function readVerified(checkpoint: string, manifest: Manifest, file: string): Buffer {
  const expected = manifest.files[file];
  const full = path.join(checkpoint, file);
  if (expected === undefined || !fs.existsSync(full)) {
    throw new CheckpointError(`${full}: missing from the checkpoint; it is incomplete`);
  }
  const data = fs.readFileSync(full);
  if (data.length !== expected.bytes) {
    throw new CheckpointError(`${full}: ${data.length} bytes, the manifest says `
      + `${expected.bytes}; the file is truncated or was replaced`);
  }
  if (sha256(data) !== expected.sha256) {
    throw new CheckpointError(`${full}: checksum mismatch; the file is corrupt`);
  }
  return data;
}

function readManifest(checkpoint: string): Manifest {
  const file = path.join(checkpoint, 'manifest.json');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  } catch {
    throw new CheckpointError(`${file}: missing or not valid JSON; the checkpoint is incomplete`);
  }
  if (manifest.format !== 'latent-thought-checkpoint' || manifest.version !== 1) {
    throw new CheckpointError(`${file}: not a latent-thought checkpoint (format/version)`);
  }
  return manifest;
}

function floatsOf(data: Buffer): Float32Array {
  const copy = new Uint8Array(data);
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}

function checkShapes(checkpoint: string, entries: TensorEntry[], params: [string, Variable][]) {
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  for (const [name, variable] of params) {
    const entry = byName.get(name);
    if (entry === undefined || entry.shape.join() !== variable.shape.join()) {
      const found = entry === undefined ? 'absent' : `[${entry.shape.join(', ')}]`;
      throw new CheckpointError(`${checkpoint}: weight '${name}' is ${found}, the model needs `
        + `[${variable.shape.join(', ')}]; the checkpoint is from a different architecture`);
    }
  }
  if (entries.length !== params.length) {
    throw new CheckpointError(`${checkpoint}: ${entries.length} weights, the model has `
      + `${params.length}; the checkpoint is from a different architecture`);
  }
}

/**
 * Verifies every file of `checkpoint` against its manifest, then loads the weights into
 * `params` (in place) and returns the optimiser state and training state.
 */
export function loadCheckpoint(checkpoint: string, params: [string, Variable][]):
  { optimizer: AdamWState; state: TrainingState } {
  const manifest = readManifest(checkpoint);
  checkShapes(checkpoint, manifest.tensors.weights, params);
  const weights = floatsOf(readVerified(checkpoint, manifest, 'weights.bin'));
  const moments = floatsOf(readVerified(checkpoint, manifest, 'optimizer.bin'));
  const state = JSON.parse(readVerified(checkpoint, manifest, 'state.json').toString('utf8'));

  const byName = new Map(params);
  for (const entry of manifest.tensors.weights) {
    const values = weights.subarray(entry.offset, entry.offset + entry.length);
    tf.tidy(() => byName.get(entry.name)!.assign(tf.tensor(values, entry.shape)));
  }
  const optimizer: AdamWState = {
    step: state.optimizerStep, firstMoment: new Map(), secondMoment: new Map(),
  };
  for (const entry of manifest.tensors.optimizer) {
    const tensor = tf.tensor(moments.slice(entry.offset, entry.offset + entry.length),
      entry.shape);
    const target = entry.name.startsWith('m.') ? optimizer.firstMoment : optimizer.secondMoment;
    target.set(entry.name.slice(2), tensor);
  }
  const { optimizerStep: _, ...training } = state;
  return { optimizer, state: training as TrainingState };
}
