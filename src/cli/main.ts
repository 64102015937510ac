#!/usr/bin/env node
// Entry point of the `ltm` command.
import { main } from './program.js';

// A reader that closes the pipe early (`ltm generate | head`) ends the command quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

await main(process.argv);
