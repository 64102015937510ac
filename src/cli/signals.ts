// Ctrl-C and SIGTERM: the first asks training to stop at the next step boundary (it then
// writes a checkpoint); a second Ctrl-C exits at once with code 130.

export interface StopSignal {
  /** True once a stop was requested. */
  requested(): boolean;
  /** Removes the handlers. */
  release(): void;
}

export function listenForStop(onFirst: (signal: string) => void): StopSignal {
  let stop = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stop) process.exit(130);
    stop = true;
    onFirst(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    requested: () => stop,
    release: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
