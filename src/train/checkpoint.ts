// Checkpoints: decoder weights, optimiser moments and the run's counters and random states,
// written atomically (a temporary folder renamed into place) with a manifest of shapes,
// sizes and SHA-256 checksums that loading verifies. Plain data only: nothing is evaluated.
// `latest.json` only ever names a complete checkpoint, whenever the process is killed.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { tf, type Tensor, type Variable } from '../backend/index.js';
import { CheckpointError } from '../errors.js';
import type { RngState } from '../random.js';
import type { AdamWState } from './adamw.js';
import { guardedWrite, writeDurable } from './storage.js';

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

/**
 * Test seam: LTM_TEST_CHECKPOINT_PAUSE_MS makes every checkpoint file write wait that long
 * first, so a test can kill the process while a checkpoint is half written.
 */
function pauseBeforeCheckpointFile(): void {
  const pause = Number(process.env.LTM_TEST_CHECKPOINT_PAUSE_MS ?? 0);
  if (pause > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pause);
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

function manifestOf(content: CheckpointContent) {
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
    manifest.files[file] = { bytes: data.length, sha256: sha256(data) };
  }
  return { manifest, files };
}

/** Writes every file of a checkpoint into `staging`; on failure removes it and throws. */
function writeStaging(staging: string, content: CheckpointContent, kept: string): void {
  const { manifest, files } = manifestOf(content);
  const consequence = `The checkpoint of step ${content.state.step} was not saved. ${kept}`;
  try {
    for (const [file, data] of Object.entries(files)) {
      pauseBeforeCheckpointFile();
      writeDurable(path.join(staging, file), data, consequence);
    }
    pauseBeforeCheckpointFile();
    writeDurable(path.join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2),
      consequence);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Points `latest.json` at a checkpoint folder: a temporary file renamed over the old one. */
function pointLatestAt(folder: string, name: string, consequence: string): void {
  const pointer = path.join(folder, `.${latestFile}.partial-${process.pid}`);
  try {
    writeDurable(pointer, JSON.stringify({ checkpoint: `checkpoints/${name}` }) + '\n',
      consequence);
    guardedWrite(path.join(folder, latestFile),
      () => fs.renameSync(pointer, path.join(folder, latestFile)), consequence);
  } catch (error) {
    fs.rmSync(pointer, { force: true });
    throw error;
  }
}

/**
 * Writes a checkpoint under `folder/checkpoints/`, points `latest.json` at it, and keeps
 * only the newest `keep`. A crash at any moment leaves the previous checkpoint loadable; a
 * failed write (a full disk) removes the partial folder and throws a StorageError naming the
 * file. Saving the step `latest.json` already names keeps that checkpoint: a step's state is
 * the same however often it is saved, and replacing it would leave a moment without one.
 */
export function saveCheckpoint(folder: string, content: CheckpointContent, keep: number): string {
  const root = path.join(folder, 'checkpoints');
  const name = stepFolder(content.state.step);
  const target = path.join(root, name);
  const previous = namedByLatest(folder);
  if (previous === target) return target;
  const kept = previous === null ? 'There is no earlier checkpoint.'
    : `The previous checkpoint ${previous} is intact; resume from it once this is fixed.`;

  const staging = path.join(root, `.${name}.partial-${process.pid}`);
  guardedWrite(staging, () => {
    fs.mkdirSync(root, { recursive: true });
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(staging);
  }, kept);
  writeStaging(staging, content, kept);

  // The target can only be a leftover of a killed process here: latest.json names another.
  fs.rmSync(target, { recursive: true, force: true });
  guardedWrite(target, () => fs.renameSync(staging, target), kept);
  pointLatestAt(folder, name, `The checkpoint ${target} is complete, but latest.json still `
    + `names ${previous ?? 'no checkpoint'}, where a resumed run would start`);
  pruneCheckpoints(root, keep, name);
  return target;
}

/** The checkpoint latest.json names, or null when it is absent or unusable. */
function namedByLatest(folder: string): string | null {
  try {
    return latestCheckpoint(folder);
  } catch {
    return null;
  }
}

/** Checkpoint folders of a run, oldest first. */
function completeCheckpoints(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root).filter((entry) => /^step-\d+$/.test(entry))
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
}

/**
 * Keeps the newest `keep` checkpoints up to `current`. Later ones are leftovers of a process
 * killed after it wrote them but before latest.json named them: a resumed run replaces them.
 */
function pruneCheckpoints(root: string, keep: number, current: string): void {
  const step = Number(current.slice(5));
  const all = completeCheckpoints(root);
  const stale = all.filter((entry) => Number(entry.slice(5)) > step);
  const kept = all.filter((entry) => Number(entry.slice(5)) <= step);
  for (const old of [...stale, ...kept.slice(0, Math.max(0, kept.length - keep))]) {
    fs.rmSync(path.join(root, old), { recursive: true, force: true });
  }
  removePartials(path.dirname(root));
}

/** Removes half-written checkpoint folders and pointer files left by a killed process. */
export function removePartials(folder: string): void {
  const root = path.join(folder, 'checkpoints');
  for (const dir of [folder, root]) {
    if (!fs.existsSync(dir)) continue;
    for (const entry of fs.readdirSync(dir)) {
      if (entry.includes('.partial-')) {
        fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
      }
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
  const checkpoint = path.join(folder, relative);
  if (!fs.existsSync(checkpoint)) {
    const present = completeCheckpoints(path.join(folder, 'checkpoints'));
    const fix = present.length > 0
      ? `point it at one that exists (${present.join(', ')})` : 'delete it to start over';
    throw new CheckpointError(`${pointer}: names ${relative}, which does not exist; ${fix}`);
  }
  return checkpoint;
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
