// Ctrl-C and SIGTERM: the first asks training to stop at the next step boundary (it then
// writes a checkpoint); a second one ends the process at once, the shell sees code 130. A
// closed standard output asks for the same stop as a first Ctrl-C.
// NOTE: a training step is synchronous, so the first signal is heard only when the step
// under way ends; a second one sent before then is heard with it and counts for nothing.

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

/** What a command prints when asked to stop: `label: cause, stopping at the next step ...`. */
export function stoppingLine(label: string, cause: string): string {
  return `${label}: ${cause}, stopping at the next step and writing a checkpoint (press `
    + 'Ctrl-C again to quit at once)';
}

/**
 * Listens for a stop: a first SIGINT or SIGTERM, or `requestStop`. `onFirst` hears its cause,
 * such as 'SIGINT received'. The handlers then remove themselves, so a second signal gets the
 * default action: the process ends even in the middle of a checkpoint write (which is safe:
 * checkpoints are written aside and renamed into place).
 */
export function listenForStop(onFirst: (cause: string) => void): StopSignal {
  let stop = false;
  const release = () => {
    for (const signal of signals) process.off(signal, onSignal);
    listening.delete(onRequest);
  };
  function onRequest(cause: string) {
    if (stop) return;
    stop = true;
    release();
    onFirst(cause);
  }
  function onSignal(signal: NodeJS.Signals) {
    onRequest(`${signal} received`);
  }
  for (const signal of signals) process.on(signal, onSignal);
  listening.add(onRequest);
  return { requested: () => stop, release };
}
