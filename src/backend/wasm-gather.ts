// A GatherV2 kernel for wasm that copies whole rows on the heap in JavaScript. The stock one
// indexes every element separately and took 13 to 17 ms for one embedding lookup of a
// 16 x 64 batch, a few percent of a training step; row copies take a fraction of a millisecond.
import { tf } from './tf.js';

type TensorInfo = tf.TensorInfo;
type KernelConfig = tf.KernelConfig;
type KernelArgs = Parameters<tf.KernelFunc>[0];

/** The public parts of the wasm backend this kernel uses. */
interface HeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** Rows shorter than this are copied value by value: a view per row would cost more. */
const shortRow = 16;

let stock: KernelConfig | undefined;
let active = false;

/** Whether every index lies in [0, size). */
function inRange(indices: ArrayLike<number>, size: number): boolean {
  for (let i = 0; i < indices.length; i++) {
    if (!(indices[i] >= 0 && indices[i] < size)) return false;
  }
  return true;
}

/**
 * `x` gathered along `axis`: out[o, i, r] = x[o, indices[i], r], where o runs over the axes
 * before `axis` and r over those after it.
 */
function gatherRows(backend: HeapBackend, x: TensorInfo, indices: TensorInfo, axis: number):
  TensorInfo {
  const outerSize = tf.util.sizeFromShape(x.shape.slice(0, axis));
  const axisSize = x.shape[axis];
  const rowSize = tf.util.sizeFromShape(x.shape.slice(axis + 1));
  const count = tf.util.sizeFromShape(indices.shape);
  const outShape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  const out = backend.makeOutput(outShape, x.dtype);
  // Views are taken after makeOutput: a heap that grows detaches older views.
  const source = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(indices);
  const target = backend.typedArrayFromHeap(out);
  for (let o = 0; o < outerSize; o++) {
    for (let i = 0; i < count; i++) {
      const from = (o * axisSize + ids[i]) * rowSize;
      const to = (o * count + i) * rowSize;
      if (rowSize >= shortRow) {
        target.set(source.subarray(from, from + rowSize), to);
      } else {
        for (let r = 0; r < rowSize; r++) target[to + r] = source[from + r];
      }
    }
  }
  return out;
}

function fastGather(args: KernelArgs): TensorInfo {
  const backend = args.backend as unknown as HeapBackend;
  const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
  const batchDims = Number(args.attrs?.batchDims ?? 0);
  const axis = tf.util.parseAxisParam(Number(args.attrs?.axis ?? 0), x.shape)[0];
  const handled = batchDims === 0 && indices.dtype === 'int32'
    && (x.dtype === 'float32' || x.dtype === 'int32')
    && inRange(backend.typedArrayFromHeap(indices), x.shape[axis]);
  // The stock kernel handles the rest and reports bad indices with its own message.
  if (!handled) return stock!.kernelFunc(args) as TensorInfo;
  return gatherRows(backend, x, indices, axis);
}

/** Whether the row-copying kernel is registered now. */
export function fastGatherActive(): boolean {
  return active;
}

/** Registers the row-copying GatherV2 for wasm. Safe to call again; false if none to replace. */
export function registerFastGather(): boolean {
  if (active) return true;
  stock ??= tf.getKernel('GatherV2', 'wasm');
  if (stock === undefined) return false;
  tf.unregisterKernel(stock.kernelName, stock.backendName);
  tf.registerKernel({ ...stock, kernelFunc: fastGather });
  active = true;
  return true;
}

/** Puts the stock GatherV2 back. Safe to call again. */
export function unregisterFastGather(): void {
  if (!active || stock === undefined) return;
  tf.unregisterKernel(stock.kernelName, stock.backendName);
  tf.registerKernel(stock);
  active = false;
}
