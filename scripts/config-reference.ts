// Rewrites the config reference in README.md (between its two markers) from the schema.
import fs from 'node:fs';
import { configReference } from '../src/config/reference.js';

const begin = '<!-- config-reference:begin -->';
const end = '<!-- config-reference:end -->';
const readme = fs.readFileSync('README.md', 'utf8');
const start = readme.indexOf(begin);
const stop = readme.indexOf(end);
if (start < 0 || stop < start) throw new Error('README.md has no config-reference markers');
const head = readme.slice(0, start + begin.length);
const updated = `${head}\n${configReference()}\n${readme.slice(stop)}`;
fs.writeFileSync('README.md', updated);
