// Identity and same-type Cast kernels for wasm that share the input's memory instead of
// copying it. Gradient recording clones every tensor a backward pass will need, and the
// product rule's gradient casts float32 to float32, so the stock copies add up to hundreds of
// full-size copies per training step.
//
// NOTE: sharing is safe because no kernel writes into an input's memory; the cpu backend's
// Identity shares memory the same way, through the reference count.
import { tf } from './tf.js';

type TensorInfo = tf.TensorInfo;
type KernelConfig = tf.KernelConfig;
type KernelArgs = Parameters<tf.KernelFunc>[0];

/** The wasm backend's reference counting, which Reshape relies on as well. */
interface RefCountingBackend {
  incRef(dataId: object): void;
}

interface StockKernels {
  identity: KernelConfig;
  cast: KernelConfig;
}

let stock: StockKernels | undefined;
let active = false;

function shared(args: KernelArgs, x: TensorInfo): TensorInfo {
  (args.backend as unknown as RefCountingBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

function sharedIdentity(args: KernelArgs): TensorInfo {
  const { x } = args.inputs as { x: TensorInfo };
  if (x.dtype === 'string') return stock!.identity.kernelFunc(args) as TensorInfo;
  return shared(args, x);
}

function sharedCast(args: KernelArgs): TensorInfo {
  const { x } = args.inputs as { x: TensorInfo };
  if (x.dtype !== args.attrs?.dtype || x.dtype === 'string') {
    return stock!.cast.kernelFunc(args) as TensorInfo;
  }
  return shared(args, x);
}

function replaceKernel(config: KernelConfig): void {
  tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
}

/** Whether the sharing kernels are registered now. */
export function sharedIdentityActive(): boolean {
  return active;
}

/**
 * Registers the sharing Identity and Cast kernels for wasm. Safe to call again; returns
 * false when the stock kernels are missing (then nothing changes).
 */
export function registerSharedIdentity(): boolean {
  if (active) return true;
  const identity = tf.getKernel('Identity', 'wasm');
  const cast = tf.getKernel('Cast', 'wasm');
  if (identity === undefined || cast === undefined) return false;
  stock ??= { identity, cast };
  replaceKernel({ ...stock.identity, kernelFunc: sharedIdentity });
  replaceKernel({ ...stock.cast, kernelFunc: sharedCast });
  active = true;
  return true;
}

/** Puts the copying stock kernels back. Safe to call again. */
export function unregisterSharedIdentity(): void {
  if (!active || stock === undefined) return;
  replaceKernel(stock.identity);
  replaceKernel(stock.cast);
  active = false;
}
