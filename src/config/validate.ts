// Validation of a config object against the schema, with defaults filled in and every
// problem reported by its path, plus the checks that span several fields.
import { Ajv, type ErrorObject } from 'ajv';
import { ConfigError } from '../errors.js';
import { configSchema, type Config } from './schema.js';

// verbose: each error carries the offending value, which every message shows.
const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true, verbose: true });
const validateSchema = ajv.compile(configSchema);

/** The longest window the schema allows, model.sequenceLength's maximum. */
const maxSequenceLength = configSchema.properties.model.properties.sequenceLength.maximum;

type SchemaNode = {
  properties?: Record<string, SchemaNode>; enum?: readonly unknown[]; type?: string | string[];
};

/** The schema node at a dotted path such as `model.width`, or undefined. */
export function schemaAt(path: string): SchemaNode | undefined {
  let node: SchemaNode | undefined = configSchema as unknown as SchemaNode;
  if (path === '') return node;
  for (const key of path.split('.')) {
    const properties: Record<string, SchemaNode> | undefined = node?.properties;
    // Own keys only: 'constructor' or 'toString' must not reach Object's prototype.
    node = properties !== undefined && Object.hasOwn(properties, key) ? properties[key]
      : undefined;
  }
  return node;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** A hint for an unknown `key` under `parent`: the nearest known key, or all of them. */
export function suggestion(parent: string, key: string): string {
  const known = Object.keys(schemaAt(parent)?.properties ?? {});
  // A short key is near only a name that shares most of its letters ('foo' is not 'vi').
  const limit = Math.min(3, Math.floor(key.length / 2));
  const near = known
    .filter((name) => editDistance(name.toLowerCase(), key.toLowerCase()) <= limit)
    .sort((a, b) => editDistance(a, key) - editDistance(b, key));
  if (near.length > 0) return `did you mean '${near[0]}'?`;
  return `known keys: ${known.join(', ')}`;
}

/** A value as a message shows it: JSON, cut short when long. */
function shown(value: unknown): string {
  // JSON writes Infinity and NaN as null; the message must show what was given.
  const finite = typeof value !== 'number' || Number.isFinite(value);
  const text = (finite ? JSON.stringify(value) : undefined) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function describe(error: ErrorObject): string {
  const path = error.instancePath.slice(1).replaceAll('/', '.');
  const where = path === '' ? '(top level)' : path;
  if (error.keyword === 'additionalProperties') {
    const key = String(error.params.additionalProperty);
    const full = path === '' ? key : `${path}.${key}`;
    return `${full}: unknown key; ${suggestion(path, key)}`;
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v));
    return `${where}: must be one of ${allowed.join(', ')} (got ${shown(error.data)})`;
  }
  return `${where}: ${error.message ?? 'is invalid'} (got ${shown(error.data)})`;
}

function crossFieldProblems(config: Config): string[] {
  const problems: string[] = [];
  const { model, data, train, latents } = config;
  if (model.window > model.sequenceLength) {
    problems.push(`model.window: ${model.window} is larger than model.sequenceLength `
      + `(${model.sequenceLength}); use at most ${model.sequenceLength}`);
  }
  if (model.width % model.heads !== 0) {
    problems.push(`model.heads: ${model.heads} does not divide model.width (${model.width}); `
      + 'pick a head count that divides the width');
  } else if ((model.width / model.heads) % 2 !== 0) {
    problems.push(`model.heads: head size ${model.width / model.heads} must be even for `
      + 'rotary positions; change model.width or model.heads');
  }
  if (train.minLr > train.lr) {
    problems.push(`train.minLr: ${train.minLr} is above train.lr (${train.lr}); the decay `
      + 'ends at minLr, so lower it or raise train.lr');
  }
  if (latents.logVarMin >= latents.logVarMax) {
    problems.push(`latents.logVarMin: ${latents.logVarMin} must be below latents.logVarMax `
      + `(${latents.logVarMax}); widen the range`);
  }
  if ((data.kind === 'text' || data.kind === 'jsonl') && data.path === '') {
    problems.push(`data.path: data.kind '${data.kind}' needs a path to a file or folder`);
  }
  if (data.kind === 'sotu' && data.trainUntilYear >= data.validUntilYear) {
    problems.push(`data.trainUntilYear: ${data.trainUntilYear} must be before `
      + `data.validUntilYear (${data.validUntilYear}); move one of the years`);
  }
  return [...problems, ...hierarchyProblems(config), ...puzzleProblems(config),
    ...reasonerProblems(config)];
}

/** The hierarchy corpus needs distinct productions and whole sequences in every window. */
function hierarchyProblems(config: Config): string[] {
  const { data, model } = config;
  if (data.kind !== 'hierarchy') return [];
  const problems: string[] = [];
  const tuples = data.vocab ** data.branching;
  if (data.rules * data.vocab > tuples) {
    problems.push(`data.rules: ${data.rules} rules for each of ${data.vocab} symbols need `
      + `${data.rules * data.vocab} distinct tuples, but only ${tuples} exist; use at most `
      + `${Math.floor(tuples / data.vocab)}`);
  }
  const length = data.branching ** data.depth;
  if (length > maxSequenceLength) {
    problems.push(`data.depth: branching^depth = ${length} tokens per sequence; keep it at `
      + `most ${maxSequenceLength}`);
  } else if ((model.sequenceLength + 1) % (length + 1) !== 0) {
    const two = 2 * length + 1;
    const choices = two <= maxSequenceLength ? `${length} for one sequence per window or `
      + `${two} for two` : `${length}, one sequence per window`;
    problems.push(`model.sequenceLength: ${model.sequenceLength} + 1 must be a multiple of `
      + `${length + 1} (a separator and ${length} tokens per sequence); use ${choices}`);
  }
  return problems;
}

function rangeProblem<R, K extends keyof R & string>(section: string, low: K, high: K,
  values: R): string[] {
  if ((values[low] as number) <= (values[high] as number)) return [];
  return [`${section}.${low}: ${values[low]} is above ${section}.${high} (${values[high]}); `
    + 'swap them or widen the range'];
}

function puzzleProblems(config: Config): string[] {
  const { puzzles } = config;
  const problems = [
    ...rangeProblem('puzzles', 'minClues', 'maxClues', puzzles),
    ...rangeProblem('puzzles', 'minRemoved', 'maxRemoved', puzzles),
    ...rangeProblem('puzzles', 'minNodes', 'maxNodes', puzzles),
    ...rangeProblem('puzzles', 'minSolutions', 'maxSolutions', puzzles),
  ];
  const heldOut = puzzles.validFraction + puzzles.testFraction;
  if (heldOut >= 1) {
    problems.push(`puzzles.testFraction: validFraction + testFraction is ${heldOut}, which `
      + 'leaves nothing to train on; keep their sum below 1');
  }
  return problems;
}

function reasonerProblems(config: Config): string[] {
  const { reasoner } = config;
  const problems: string[] = [];
  if (reasoner.logSigmaMin >= reasoner.logSigmaMax) {
    problems.push(`reasoner.logSigmaMin: ${reasoner.logSigmaMin} must be below `
      + `reasoner.logSigmaMax (${reasoner.logSigmaMax})`);
  }
  const logInit = Math.log(reasoner.initSigma);
  if (logInit < reasoner.logSigmaMin || logInit > reasoner.logSigmaMax) {
    problems.push(`reasoner.initSigma: ${reasoner.initSigma} lies outside the clamp `
      + `[exp(${reasoner.logSigmaMin}), exp(${reasoner.logSigmaMax})]; pick a value inside it`);
  }
  return problems;
}

/**
 * Checks `candidate` against the schema, fills defaults, and returns a full `Config`.
 * Throws one ConfigError listing every problem, each prefixed by its path.
 */
export function validateConfig(candidate: unknown, source: string): Config {
  const copy = structuredClone(candidate);
  if (!validateSchema(copy)) {
    const problems = [...new Set((validateSchema.errors ?? []).map(describe))];
    throw new ConfigError(formatProblems(source, problems), problems);
  }
  const config = copy as unknown as Config;
  const problems = crossFieldProblems(config);
  if (problems.length > 0) throw new ConfigError(formatProblems(source, problems), problems);
  return config;
}

function formatProblems(source: string, problems: string[]): string {
  const lines = problems.map((problem) => `  - ${problem}`);
  return `${source}: invalid config\n${lines.join('\n')}`;
}
