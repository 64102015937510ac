export { configSchema } from './schema.js';
export type { Config } from './schema.js';
export { validateConfig, schemaAt } from './validate.js';
export { loadConfig, resolveConfig, applyOverrides, sectionsOf } from './load.js';
export type { LoadedConfig } from './load.js';
