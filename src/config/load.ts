// Reading a config file and applying `path=value` overrides, all through one validation.
import fs from 'node:fs';
import path from 'node:path';
import { produce } from 'immer';
import { ConfigError } from '../errors.js';
import { canonicalJson, describeJsonProblem, parseJson } from '../json.js';
import type { Config } from './schema.js';
import { schemaAt, suggestion, validateConfig } from './validate.js';

/** A config with the name its run folder and reports use. */
export interface LoadedConfig {
  config: Config;
  /** The file's base name without `.json`, e.g. `default`. */
  name: string;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`${file}: cannot read the config file; check the path`);
  }
  return parseJson(text, (problem) => new ConfigError(`${file}: not valid JSON at `
    + `${describeJsonProblem(problem)}; fix the file's syntax: ${problem.fix}`));
}

/**
 * Parses `value` as JSON where it can (numbers, booleans, arrays), else keeps the string. A
 * field that holds text keeps it as typed, so `data.path=2020` names a file called 2020.
 */
function parseValue(value: string, keyPath: string): unknown {
  let parsed: unknown = value;
  try {
    parsed = JSON.parse(value);
  } catch {
    return value;
  }
  const text = schemaAt(keyPath)?.type === 'string';
  return text && typeof parsed !== 'string' ? value : parsed;
}

/** The error for an override path the schema does not have, naming the nearest field. */
function unknownField(override: string, keyPath: string): ConfigError {
  const keys = keyPath.split('.');
  let known = 0;
  while (known < keys.length && schemaAt(keys.slice(0, known + 1).join('.')) !== undefined) {
    known += 1;
  }
  const parent = keys.slice(0, known).join('.');
  const hint = schemaAt(parent)?.properties === undefined ? `'${parent}' holds no fields`
    : suggestion(parent, keys[known]);
  return new ConfigError(`--set ${override}: '${keyPath}' is not a config field; ${hint} `
    + '(see the config reference in the README)');
}

/**
 * Applies overrides of the form `model.width=64` to a config object. The path must name a
 * field of the schema; the result is validated by the caller like any config.
 */
export function applyOverrides(base: unknown, overrides: readonly string[]): unknown {
  return produce(base, (draft: Record<string, unknown>) => {
    for (const override of overrides) {
      const equals = override.indexOf('=');
      if (equals <= 0) {
        throw new ConfigError(`--set ${override}: expected path=value, e.g. train.steps=100`);
      }
      const keyPath = override.slice(0, equals).trim();
      if (schemaAt(keyPath) === undefined) throw unknownField(override, keyPath);
      const keys = keyPath.split('.');
      let node = draft;
      for (const key of keys.slice(0, -1)) {
        if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
        node = node[key] as Record<string, unknown>;
      }
      node[keys[keys.length - 1]] = parseValue(override.slice(equals + 1), keyPath);
    }
  });
}

/** Loads, overrides and validates a config file. Nothing is written. */
export function loadConfig(file: string, overrides: readonly string[] = []): LoadedConfig {
  const raw = readJson(file);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`${file}: a config must be a JSON object`);
  }
  const source = overrides.length > 0 ? `${file} with --set overrides` : file;
  const given = applyOverrides(raw, overrides);
  const config = validateConfig(given, source);
  const problems = unusedSections(config);
  if (problems.length > 0) {
    throw new ConfigError(`${source}: invalid config\n${problems.map((problem) =>
      `  - ${problem}`).join('\n')}`, problems);
  }
  return { config, name: path.basename(file).replace(/\.json$/, '') };
}

/** The sections each kind of model reads; the others are shared (train, backend, ...). */
export const sectionsOf = {
  ltm: ['data', 'model', 'latents', 'vi', 'eval'],
  reasoner: ['puzzles', 'reasoner'],
} as const;

let defaults: Config | undefined;

/**
 * Sections that set values the config's kind never reads: a config that says one thing while
 * the run does another. A section equal to the defaults says nothing, so a run's saved
 * config.json (every section filled in) passes.
 */
export function unusedSections(config: Config): string[] {
  defaults ??= validateConfig({}, 'defaults');
  const other = config.kind === 'ltm' ? 'reasoner' : 'ltm';
  const fixed = defaults;
  return sectionsOf[other]
    .filter((section) => canonicalJson(config[section]) !== canonicalJson(fixed[section]))
    .map((section) => `${section}: sets values only kind '${other}' reads, but kind is `
      + `'${config.kind}'; drop the section or set kind to '${other}'`);
}

/** A config from code: defaults plus the given partial object, validated. */
export function resolveConfig(partial: unknown = {}, overrides: readonly string[] = []): Config {
  return validateConfig(applyOverrides(partial, overrides), 'config');
}
