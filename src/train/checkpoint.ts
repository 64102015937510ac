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
import { guardedWrite, makeFolder, writeDurable } from './storage.js';

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
 * `damaged` lists folders a resume found damaged: they are never counted as kept, and stay
 * until a checkpoint of their step replaces them.
 */
export function saveCheckpoint(folder: string, content: CheckpointContent, keep: number,
  damaged: readonly string[] = []): string {
  const root = path.join(folder, 'checkpoints');
  const name = stepFolder(content.state.step);
  const target = path.join(root, name);
  const previous = namedByLatest(folder);
  if (previous === target) return target;
  const kept = previous === null ? 'There is no earlier checkpoint.'
    : `The previous checkpoint ${previous} is intact; resume from it once this is fixed.`;

  const staging = path.join(root, `.${name}.partial-${process.pid}`);
  guardedWrite(staging, () => {
    makeFolder(root);
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(staging);
  }, kept);
  writeStaging(staging, content, kept);

  moveIntoPlace(staging, target, kept);
  pointLatestAt(folder, name, `The checkpoint ${target} is complete, but latest.json still `
    + `names ${previous ?? 'no checkpoint'}, where a resumed run would start`);
  const stillDamaged = damaged.map((entry) => path.basename(entry))
    .filter((entry) => entry !== name);
  pruneCheckpoints(root, keep, name, stillDamaged);
  return target;
}

/**
 * Renames the complete `staging` folder to `target`. A folder already there is a leftover
 * of a killed process or a damaged checkpoint (latest.json names another): it is moved aside
 * first and removed only once the new one is in place, so `target` never holds a mixture.
 */
function moveIntoPlace(staging: string, target: string, kept: string): void {
  const aside = `${staging}-replaced`;
  try {
    guardedWrite(target, () => {
      if (fs.existsSync(target)) fs.renameSync(target, aside);
      fs.renameSync(staging, target);
    }, kept);
  } catch (error) {
    if (fs.existsSync(aside) && !fs.existsSync(target)) fs.renameSync(aside, target);
    throw error;
  }
  fs.rmSync(aside, { recursive: true, force: true });
}

/** The checkpoint latest.json names, or null when it is absent or unusable. */
function namedByLatest(folder: string): string | null {
  return readLatest(folder).checkpoint;
}

/** Checkpoint folders of a run, oldest first. */
function completeCheckpoints(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root).filter((entry) => /^step-\d+$/.test(entry))
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
}

/** The paths of a run's checkpoint folders (`checkpoints/step-N`), oldest first. */
export function checkpointFolders(folder: string): string[] {
  const root = path.join(folder, 'checkpoints');
  return completeCheckpoints(root).map((entry) => path.join(root, entry));
}

/**
 * Keeps the newest `keep` checkpoints up to `current`, not counting the `damaged` ones. Later
 * folders are leftovers of a process killed after it wrote them but before latest.json named
 * them (removed: a resumed run writes them again), or damaged ones, which wait for the run to
 * reach their step: nothing a resume reported is deleted before it is replaced.
 */
function pruneCheckpoints(root: string, keep: number, current: string,
  damaged: readonly string[]): void {
  const step = Number(current.slice(5));
  const all = completeCheckpoints(root).filter((entry) => !damaged.includes(entry));
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

/**
 * What latest.json says: the checkpoint folder it names (null when there is no latest.json),
 * or the problem with it and the fix for a caller that cannot go on without it.
 */
export interface LatestPointer {
  checkpoint: string | null;
  problem?: string;
  fix?: string;
}

/** Reads latest.json without throwing. */
export function readLatest(folder: string): LatestPointer {
  const pointer = path.join(folder, latestFile);
  if (!fs.existsSync(pointer)) return { checkpoint: null };
  let relative: unknown;
  try {
    relative = JSON.parse(fs.readFileSync(pointer, 'utf8')).checkpoint;
  } catch {
    return { checkpoint: null, problem: `${pointer}: not valid JSON`,
      fix: `resume the run (ltm train --run ${folder} --resume) to rewrite it` };
  }
  if (typeof relative !== 'string' || !/^checkpoints\/step-\d+$/.test(relative)) {
    return { checkpoint: null, problem: `${pointer}: 'checkpoint' must name checkpoints/step-N` };
  }
  const checkpoint = path.join(folder, relative);
  if (!fs.existsSync(checkpoint)) {
    const present = completeCheckpoints(path.join(folder, 'checkpoints'));
    const fix = present.length > 0
      ? `point it at one that exists (${present.join(', ')})` : 'delete it to start over';
    return { checkpoint: null, problem: `${pointer}: names ${relative}, which does not exist`,
      fix };
  }
  return { checkpoint };
}

/** The folder of the newest complete checkpoint of a run, or null when there is none. */
export function latestCheckpoint(folder: string): string | null {
  const { checkpoint, problem, fix } = readLatest(folder);
  if (problem !== undefined) {
    throw new CheckpointError(fix === undefined ? problem : `${problem}; ${fix}`);
  }
  return checkpoint;
}

/** Points latest.json at `checkpoint`, a folder under `folder/checkpoints/`. */
export function pointLatestTo(folder: string, checkpoint: string, consequence: string): void {
  pointLatestAt(folder, path.basename(checkpoint), consequence);
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
  if (manifest?.format !== 'latent-thought-checkpoint' || manifest.version !== 1) {
    throw new CheckpointError(`${file}: not a latent-thought checkpoint (format/version)`);
  }
  const { files, tensors } = manifest;
  if (typeof files !== 'object' || files === null || !Array.isArray(tensors?.weights)
    || !Array.isArray(tensors.optimizer)) {
    throw new CheckpointError(`${file}: lists no files or tensors; the checkpoint is damaged`);
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
 * Every tensor the manifest lists must hold as many floats as its shape and lie inside its
 * file: a manifest edited by hand or damaged is the checkpoint's fault, not the model's.
 */
function checkEntries(checkpoint: string, entries: TensorEntry[], floats: number,
  file: string): void {
  for (const { name, shape, offset, length } of entries) {
    const size = Array.isArray(shape) ? shape.reduce((total, dim) => total * dim, 1) : NaN;
    if (size !== length || !(offset >= 0 && offset + length <= floats)) {
      throw new CheckpointError(`${path.join(checkpoint, 'manifest.json')}: tensor '${name}' `
        + `of shape [${String(shape)}] does not match its ${length} floats at ${offset} in `
        + `${file} (${floats} floats); the checkpoint is damaged`);
    }
  }
}

/** A checkpoint read into memory, every file checked against its manifest; no tensors yet. */
export interface VerifiedCheckpoint {
  folder: string;
  manifest: Manifest;
  weights: Float32Array;
  moments: Float32Array;
  state: TrainingState & { optimizerStep: number };
}

/**
 * Reads a checkpoint and checks every file's size and checksum against the manifest. Throws
 * a CheckpointError naming the first file that is missing, truncated or corrupt.
 */
export function verifyCheckpoint(checkpoint: string): VerifiedCheckpoint {
  const manifest = readManifest(checkpoint);
  const weights = floatsOf(readVerified(checkpoint, manifest, 'weights.bin'));
  const moments = floatsOf(readVerified(checkpoint, manifest, 'optimizer.bin'));
  checkEntries(checkpoint, manifest.tensors.weights, weights.length, 'weights.bin');
  checkEntries(checkpoint, manifest.tensors.optimizer, moments.length, 'optimizer.bin');
  const stateFile = readVerified(checkpoint, manifest, 'state.json');
  let state: VerifiedCheckpoint['state'];
  try {
    state = JSON.parse(stateFile.toString('utf8'));
  } catch {
    // Only a manifest written by hand can vouch for a state.json that does not parse.
    throw new CheckpointError(`${path.join(checkpoint, 'state.json')}: not valid JSON; the `
      + 'checkpoint is damaged');
  }
  return { folder: checkpoint, manifest, weights, moments, state };
}

/**
 * Loads a verified checkpoint's weights into `params` (in place) and returns the optimiser
 * state and training state. Throws a CheckpointError, touching nothing, when the weights'
 * names or shapes are not the model's.
 */
export function restoreCheckpoint(verified: VerifiedCheckpoint, params: [string, Variable][]):
  { optimizer: AdamWState; state: TrainingState } {
  const { folder, manifest, weights, moments, state } = verified;
  checkShapes(folder, manifest.tensors.weights, params);
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
  return { optimizer, state: training };
}

/**
 * Verifies every file of `checkpoint` against its manifest, then loads the weights into
 * `params` (in place) and returns the optimiser state and training state.
 */
export function loadCheckpoint(checkpoint: string, params: [string, Variable][]):
  { optimizer: AdamWState; state: TrainingState } {
  return restoreCheckpoint(verifyCheckpoint(checkpoint), params);
}
