// `ltm train` with a reasoner config: the same flags and run folder, the reasoner's trainer,
// and its progress lines (the final validation scores arrive as an eval event).
import type { Config } from '../config/index.js';
import { trainReasoner } from '../train/reasoner/index.js';
import { shellWord } from './format.js';
import { reasonerProgressLine } from './reason.js';
import { listenForStop, stoppingLine } from './signals.js';

/** Trains a reasoner config into `dir`; returns the exit code. */
export async function trainReasonerCommand(config: Config, name: string, dir: string,
  resume: boolean, out: (line: string) => void): Promise<number> {
  const stop = listenForStop((cause) => out(stoppingLine(name, cause)));
  try {
    const result = await trainReasoner(config, {
      runDir: dir, resume, name, shouldStop: stop.requested,
      onEvent: (event) => {
        const line = reasonerProgressLine(name, event);
        if (line !== null) out(line);
      },
    });
    if (result.interrupted) {
      out(`stopped at step ${result.steps}; resume with: npx ltm train --run ${shellWord(dir)} `
        + '--resume');
      return 130;
    }
    out(`training took ${result.wallSeconds.toFixed(0)} s; run folder: ${dir}`);
    return 0;
  } finally {
    stop.release();
  }
}
