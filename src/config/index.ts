export { configSchema } from './schema.js';
export type { Config } from './schema.js';
export { validateConfig, schemaAt } from './validate.js';
export { loadConfig, resolveConfig, applyOverrides } from './load.js';
export type { LoadedConfig } from './load.js';
