#!/usr/bin/env node
// Entry point of the `ltm` command.
import { closeStdout } from './output.js';
import { main } from './program.js';
import { requestStop } from './signals.js';

// A reader that closes the pipe early (`ltm generate | head`): later output goes to stderr. A
// command that is training stops as on a first Ctrl-C, writing a checkpoint; any other ends
// quietly.
let stdoutClosed = false;
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  if (stdoutClosed) return;
  stdoutClosed = true;
  closeStdout();
  if (!requestStop('standard output closed')) process.exit(0);
});

await main(process.argv);
