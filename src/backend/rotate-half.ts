// Rotate-half, the pairing step of rotary position embeddings, as a kernel that moves values
// instead of multiplying by a [D, D] matrix of zeros and ones: per head, the halves (a, b)
// of each row become (-b, a). It runs in JavaScript on the wasm and cpu backends; elsewhere
// `rotateHalfActive` is false and the caller keeps the matrix product.
import { ShapeError } from '../errors.js';
import { tf } from './tf.js';

type TensorInfo = tf.TensorInfo;
type KernelArgs = Parameters<tf.KernelFunc>[0];

const kernelName = 'LatentThoughtRotateHalf';
const backends = ['wasm', 'cpu'] as const;

/** The parts of the wasm and cpu backends this kernel reads and writes through. */
interface WasmMemory {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}
interface CpuMemory {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): TensorInfo;
}

/**
 * Writes the rotation of `x` into `out`. inverse: (a, b) -> (b, -a), the transpose, which is
 * what the gradient applies. Negation and copies are exact, so results match the product.
 */
function rotate(x: Float32Array, out: Float32Array, headSize: number, inverse: boolean): void {
  const half = headSize / 2;
  for (let start = 0; start < x.length; start += headSize) {
    const middle = start + half;
    for (let j = 0; j < half; j++) {
      const a = x[start + j];
      const b = x[middle + j];
      out[start + j] = inverse ? b : -b;
      out[middle + j] = inverse ? -a : a;
    }
  }
}

function settings(args: KernelArgs): { x: TensorInfo; headSize: number; inverse: boolean } {
  const { x } = args.inputs as { x: TensorInfo };
  const headSize = Number(args.attrs?.headSize);
  const width = x.shape[x.shape.length - 1];
  if (x.dtype !== 'float32' || !(headSize % 2 === 0 && headSize > 0 && width % headSize === 0)) {
    throw new ShapeError(`rotateHalf x (${x.dtype}, heads of ${headSize})`,
      '[..., D] float32 with D a multiple of an even head size', x.shape);
  }
  return { x, headSize, inverse: args.attrs?.inverse === true };
}

function wasmKernel(args: KernelArgs): TensorInfo {
  const { x, headSize, inverse } = settings(args);
  const backend = args.backend as unknown as WasmMemory;
  // Views are taken after makeOutput: a heap that grows detaches older views.
  const out = backend.makeOutput(x.shape, 'float32');
  rotate(backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(out), headSize, inverse);
  return out;
}

function cpuKernel(args: KernelArgs): TensorInfo {
  const { x, headSize, inverse } = settings(args);
  const backend = args.backend as unknown as CpuMemory;
  const values = new Float32Array(tf.util.sizeFromShape(x.shape));
  rotate(backend.data.get(x.dataId).values, values, headSize, inverse);
  return backend.makeTensorInfo(x.shape, 'float32', values);
}

/** Registers the kernel for wasm and cpu, and its gradient. Safe to call again. */
export function registerRotateHalf(): void {
  const kernels = { wasm: wasmKernel, cpu: cpuKernel };
  for (const backendName of backends) {
    if (tf.getKernel(kernelName, backendName) === undefined) {
      tf.registerKernel({ kernelName, backendName, kernelFunc: kernels[backendName] });
    }
  }
  if (tf.getGradient(kernelName) === undefined) {
    tf.registerGradient({
      kernelName,
      gradFunc: (dy, _saved, attrs) => ({
        x: () => runRotateHalf(dy as tf.Tensor, Number(attrs.headSize), attrs.inverse !== true),
      }),
    });
  }
}

/** Removes the wasm kernel, so the stock kernels alone can be timed. */
export function unregisterRotateHalf(): void {
  if (tf.getKernel(kernelName, 'wasm') !== undefined) tf.unregisterKernel(kernelName, 'wasm');
}

/** True when the backend in use has the kernel. */
export function rotateHalfActive(): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}

function runRotateHalf(x: tf.Tensor, headSize: number, inverse: boolean): tf.Tensor {
  return tf.engine().runKernel(kernelName, { x }, { headSize, inverse }) as tf.Tensor;
}

/**
 * Per head of `headSize` columns, the halves (a, b) of every row become (-b, a).
 * x: [..., D] float32 -> [..., D]. Differentiable; needs `rotateHalfActive()`.
 */
export function rotateHalf(x: tf.Tensor, headSize: number): tf.Tensor {
  return runRotateHalf(x, headSize, false);
}
