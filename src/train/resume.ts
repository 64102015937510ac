// Where a resumed run starts: the newest checkpoint that verifies, the one latest.json names
// tried first. Damaged ones passed over are reported and left where they are.
import type { Variable } from '../backend/index.js';
import { CheckpointError } from '../errors.js';
import type { AdamWState } from './adamw.js';
import {
  checkpointFolders, pointLatestTo, readLatest, removePartials, restoreCheckpoint,
  verifyCheckpoint, type TrainingState, type VerifiedCheckpoint,
} from './checkpoint.js';
import { truncateJsonLines } from './run-folder.js';

/** Something a resume could not use, and why. */
export interface DamagedCheckpoint {
  /** The checkpoint folder; null when latest.json itself is at fault. */
  checkpoint: string | null;
  /** What is wrong, naming the file. */
  problem: string;
}

/** Which checkpoint a resumed run starts from, and what it passed over to get there. */
export interface ResumeReport {
  checkpoint: string;
  step: number;
  /** Newest first; empty when the checkpoint latest.json names verified. */
  damaged: DamagedCheckpoint[];
}

export interface ResumePoint extends ResumeReport {
  optimizer: AdamWState;
  state: TrainingState;
}

/** Checkpoints to try, newest first: the one latest.json names, then the others by step. */
function candidates(folder: string): { named: string | null; order: string[];
  damaged: DamagedCheckpoint[] } {
  const latest = readLatest(folder);
  const damaged = latest.problem === undefined ? []
    : [{ checkpoint: null, problem: latest.problem }];
  const named = latest.checkpoint;
  const others = checkpointFolders(folder).reverse().filter((other) => other !== named);
  return { named, order: named === null ? others : [named, ...others], damaged };
}

function nothingIntact(folder: string, damaged: DamagedCheckpoint[]): CheckpointError {
  return new CheckpointError(`${folder}: no checkpoint to resume from verifies:\n`
    + damaged.map((entry) => `  ${entry.problem}\n`).join('')
    + 'Restore the damaged files from a copy, or delete latest.json and checkpoints/ to '
    + 'train the run again from step 0; nothing in the run folder was changed');
}

/** The first of `order` that verifies; the others tried go into `damaged`. */
function firstIntact(order: string[], damaged: DamagedCheckpoint[]): VerifiedCheckpoint | null {
  for (const checkpoint of order) {
    try {
      return verifyCheckpoint(checkpoint);
    } catch (error) {
      if (!(error instanceof CheckpointError)) throw error;
      damaged.push({ checkpoint, problem: error.message });
    }
  }
  return null;
}

/**
 * Finds the newest checkpoint of a run that verifies and loads its weights into `params`.
 * Returns null when the run has no checkpoint at all (it starts over). When latest.json does
 * not name the one used, it is pointed at it, so that later saves and `ltm eval` see an
 * intact checkpoint; damaged folders are left in place. Throws a CheckpointError listing
 * every problem when none verifies, and the usual one when the weights' shapes differ.
 */
export function resumeCheckpoint(folder: string, params: [string, Variable][]):
  ResumePoint | null {
  const { named, order, damaged } = candidates(folder);
  if (order.length === 0 && damaged.length === 0) return null;
  const verified = firstIntact(order, damaged);
  if (verified === null) throw nothingIntact(folder, damaged);

  const { optimizer, state } = restoreCheckpoint(verified, params);
  const checkpoint = verified.folder;
  if (checkpoint !== named) {
    pointLatestTo(folder, checkpoint, `Training did not start; ${checkpoint} is intact`);
  }
  return { checkpoint, step: state.step, damaged, optimizer, state };
}

/**
 * The checkpoint latest.json names, verified, for commands that read a run (eval, generate,
 * reason); null when the run has none yet. A damaged one is not passed over, since results
 * would then come from older weights unannounced: the error says which checkpoint is intact
 * and how to go on from it.
 */
export function verifiedLatest(folder: string): VerifiedCheckpoint | null {
  const latest = readLatest(folder);
  if (latest.checkpoint === null && latest.problem === undefined) return null;
  let problem = latest.problem;
  if (latest.checkpoint !== null) {
    try {
      return verifyCheckpoint(latest.checkpoint);
    } catch (error) {
      if (!(error instanceof CheckpointError)) throw error;
      problem = error.message;
    }
  }
  const intact = firstIntact(checkpointFolders(folder).reverse(), []);
  const advice = intact === null
    ? 'no checkpoint of the run verifies: restore the damaged files from a copy'
    : `${intact.folder} (step ${intact.state.step}) is intact: ltm train --run ${folder} `
      + '--resume trains on from it to the same weights';
  throw new CheckpointError(`${problem}; ${advice}`);
}

/** The checkpoint folders a resume found damaged, for saveCheckpoint to leave alone. */
export function damagedFolders(report: ResumeReport | null): string[] {
  return (report?.damaged ?? []).flatMap((entry) =>
    entry.checkpoint === null ? [] : [entry.checkpoint]);
}

/**
 * Before a resumed run goes on from `step`: drops what was written after the checkpoint it
 * starts from (metric and eval lines it will write again, half-written checkpoint folders).
 */
export function forgetLostWork(runDir: string, step: number): void {
  removePartials(runDir);
  truncateJsonLines(runDir, 'metrics.jsonl', step);
  truncateJsonLines(runDir, 'evals.jsonl', step);
}
