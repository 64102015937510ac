// Where the command line writes: the terminal when run as `ltm`, or strings when a test runs
// a command in-process. Commands print only through this, so both see the same text.

export interface CliOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

let stdoutOpen = true;

/**
 * Sends every later write to standard output to standard error instead: its reader has gone
 * (`ltm train | head`), and what a stopping command says last (how to resume) must be seen.
 */
export function closeStdout(): void {
  stdoutOpen = false;
}

/** The process's own streams. */
export const terminalOutput: CliOutput = {
  stdout: (text) => {
    if (stdoutOpen) process.stdout.write(text);
    else process.stderr.write(text);
  },
  stderr: (text) => process.stderr.write(text),
};

/** One line of standard output. */
export function lineWriter(output: CliOutput): (line: string) => void {
  return (line) => output.stdout(line + '\n');
}
