// Picks and prepares the TensorFlow.js backend: native TensorFlow where the user installed
// it, otherwise single-threaded SIMD WebAssembly with its binaries read from node_modules.
import { createRequire } from 'node:module';
import path from 'node:path';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { ConfigError } from '../errors.js';
import { tf } from './tf.js';
import { registerRotateHalf } from './rotate-half.js';
import { registerWasmKernels } from './wasm-kernels.js';

/** What a user may ask for; `auto` takes native TensorFlow if installed, else wasm. */
export type BackendChoice = 'auto' | 'wasm' | 'cpu' | 'node';

export const backendChoices: readonly BackendChoice[] = ['auto', 'wasm', 'cpu', 'node'];

const require = createRequire(import.meta.url);
let prepared: string | undefined;

async function tryNative(): Promise<boolean> {
  try {
    // NOTE: an optional peer, never a dependency: its install downloads a binary.
    const nativeModule = '@tensorflow/tfjs-node';
    await import(nativeModule);
    return tf.findBackend('tensorflow') !== null && (await tf.setBackend('tensorflow'));
  } catch {
    return false;
  }
}

async function prepareWasm(): Promise<void> {
  const packageFile = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  setWasmPaths(path.join(path.dirname(packageFile), 'dist') + path.sep);
  // NOTE: threads are off in Node anyway; forcing them measured no faster and used more memory.
  setThreadsCount(1);
  if (!(await tf.setBackend('wasm'))) {
    throw new ConfigError('backend: the wasm backend failed to start; try --backend cpu');
  }
  registerWasmKernels();
}

/**
 * Selects and initialises a backend once per process and returns its name
 * (`wasm`, `cpu` or `tensorflow`). Later calls with another choice switch backends.
 */
export async function initBackend(choice: BackendChoice = 'auto'): Promise<string> {
  if (!backendChoices.includes(choice)) {
    throw new ConfigError(
      `backend: unknown backend '${choice}'; use one of ${backendChoices.join(', ')}`);
  }
  if (prepared === choice) return tf.getBackend();
  tf.enableProdMode();

  if (choice === 'node' || choice === 'auto') {
    if (await tryNative()) {
      prepared = choice;
      return tf.getBackend();
    }
    if (choice === 'node') {
      throw new ConfigError(
        'backend: "node" needs the optional package @tensorflow/tfjs-node; '
        + 'install it or set backend to "wasm" (--set backend=wasm)');
    }
  }
  if (choice === 'cpu') {
    await tf.setBackend('cpu');
    registerRotateHalf();
  } else {
    await prepareWasm();
  }
  await tf.ready();
  prepared = choice;
  return tf.getBackend();
}
