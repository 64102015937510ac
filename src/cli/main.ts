#!/usr/bin/env node
// Entry point of the `ltm` command.
import { main } from './program.js';

await main(process.argv);
