// Ctrl-C and SIGTERM: the first asks training to stop at the next step boundary (it then
// writes a checkpoint); a second one ends the process at once, the shell sees code 130.

export interface StopSignal {
  /** True once a stop was requested. */
  requested(): boolean;
  /** Removes the handlers. */
  release(): void;
}

const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * Listens for the first SIGINT or SIGTERM. The handler then removes itself, so a second
 * signal gets the default action: the process ends even in the middle of a long step or a
 * checkpoint write (which is safe: checkpoints are written aside and renamed into place).
 */
export function listenForStop(onFirst: (signal: string) => void): StopSignal {
  let stop = false;
  const release = () => {
    for (const signal of signals) process.off(signal, handler);
  };
  function handler(signal: NodeJS.Signals) {
    stop = true;
    release();
    onFirst(signal);
  }
  for (const signal of signals) process.on(signal, handler);
  return { requested: () => stop, release };
}
