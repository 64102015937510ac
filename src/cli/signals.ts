// Ctrl-C and SIGTERM: the first asks training to stop at the next step boundary (it then
// writes a checkpoint); a second one ends the process at once, the shell sees code 130. A
// closed standard output asks for the same stop as a first Ctrl-C.

export interface StopSignal {
  /** True once a stop was requested. */
  requested(): boolean;
  /** Removes the handlers. */
  release(): void;
}

const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** The handlers of the stops being listened for, so a cause other than a signal can ask. */
const listening = new Set<(cause: string) => void>();

/**
 * Asks every command that listens for a stop to stop, as a first Ctrl-C would, naming
 * `cause`. Returns false when nothing listens.
 */
export function requestStop(cause: string): boolean {
  const handlers = [...listening];
  for (const handler of handlers) handler(cause);
  return handlers.length > 0;
}

/**
 * Listens for the first SIGINT or SIGTERM. The handler then removes itself, so a second
 * signal gets the default action: the process ends even in the middle of a long step or a
 * checkpoint write (which is safe: checkpoints are written aside and renamed into place).
 */
export function listenForStop(onFirst: (signal: string) => void): StopSignal {
  let stop = false;
  const release = () => {
    for (const signal of signals) process.off(signal, handler);
    listening.delete(handler);
  };
  function handler(cause: string) {
    stop = true;
    release();
    onFirst(cause);
  }
  for (const signal of signals) process.on(signal, handler);
  listening.add(handler);
  return { requested: () => stop, release };
}
