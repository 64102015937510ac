// The error types every layer throws. Each message names the thing, the bad value and the fix;
// the command line maps each kind to an exit code and prints the message without a stack.

/** Base class: `kind` lets callers branch without `instanceof` across module copies. */
export class LatentThoughtError extends Error {
  readonly kind: string;

  constructor(kind: string, message: string) {
    super(message);
    this.kind = kind;
    this.name = kind;
  }
}

/** A config file, a field or an override is wrong. */
export class ConfigError extends LatentThoughtError {
  /** One line per problem, each `path: message`. */
  readonly problems: string[];

  constructor(message: string, problems: string[] = []) {
    super('ConfigError', message);
    this.problems = problems;
  }
}

/** A tensor arrived with a shape other than the one a function documents. */
export class ShapeError extends LatentThoughtError {
  constructor(what: string, expected: string, actual: readonly number[]) {
    super('ShapeError', `${what}: expected shape ${expected}, got [${actual.join(', ')}]`);
  }
}

/** A corpus, text file or puzzle cannot be used as given. */
export class DataError extends LatentThoughtError {
  constructor(message: string) {
    super('DataError', message);
  }
}

/** A checkpoint is missing, incomplete, corrupt or from another architecture. */
export class CheckpointError extends LatentThoughtError {
  constructor(message: string) {
    super('CheckpointError', message);
  }
}

/** Training produced a non-finite value; the message names the step and the term. */
export class NumericalError extends LatentThoughtError {
  readonly step: number;

  constructor(step: number, message: string) {
    super('NumericalError', message);
    this.step = step;
  }
}

/** A file of a run could not be written (disk full, no permission); names the file. */
export class StorageError extends LatentThoughtError {
  constructor(message: string) {
    super('StorageError', message);
  }
}

/** Wrong command-line usage: an unknown flag, a missing argument. */
export class UsageError extends LatentThoughtError {
  constructor(message: string) {
    super('UsageError', message);
  }
}

/** True for errors caused by what the user handed in (exit code 2), not by a failed run. */
export function isInputError(error: unknown): boolean {
  if (!(error instanceof LatentThoughtError)) return false;
  return ['ConfigError', 'DataError', 'CheckpointError', 'UsageError', 'ShapeError']
    .includes(error.kind);
}
