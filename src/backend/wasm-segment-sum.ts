// An UnsortedSegmentSum kernel for the wasm backend, which ships none, so that `tf.gather`
// (embedding lookups) has a gradient there. It runs in JavaScript on the wasm heap.
import { DataError, ShapeError } from '../errors.js';
import { tf } from './tf.js';

type TensorInfo = tf.TensorInfo;
type KernelArgs = Parameters<tf.KernelFunc>[0];

/** The public parts of the wasm backend this kernel uses. */
interface HeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * Sums rows of `x` into `numSegments` buckets: `out[s] = sum of x[i] where ids[i] == s`.
 * `x` is `[...ids.shape, ...rest]`, the result `[numSegments, ...rest]`; ids outside
 * `[0, numSegments)` are dropped. Sums run in double precision in index order, which is what
 * the cpu backend's masked sums amount to, so both give the same float32 results.
 */
function unsortedSegmentSum(args: KernelArgs): TensorInfo {
  const backend = args.backend as HeapBackend;
  const { x, segmentIds } = args.inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const numSegments = Number(args.attrs?.numSegments);
  checkInputs(x, segmentIds, numSegments);

  const idCount = tf.util.sizeFromShape(segmentIds.shape);
  const rowSize = idCount === 0 ? 0 : tf.util.sizeFromShape(x.shape) / idCount;
  const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
  const sums = new Float64Array(numSegments * rowSize);
  // Views are taken after makeOutput: a heap that grows detaches older views.
  const out = backend.makeOutput(outShape, x.dtype);
  const values = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  for (let i = 0; i < idCount; i++) {
    const segment = ids[i];
    if (segment < 0 || segment >= numSegments) continue;
    const from = i * rowSize;
    const to = segment * rowSize;
    for (let j = 0; j < rowSize; j++) sums[to + j] += values[from + j];
  }
  backend.typedArrayFromHeap(out).set(sums);
  return out;
}

function checkInputs(x: TensorInfo, segmentIds: TensorInfo, numSegments: number): void {
  if (segmentIds.shape.length > x.shape.length) {
    throw new ShapeError('unsortedSegmentSum segmentIds', `rank <= ${x.shape.length}`,
      segmentIds.shape);
  }
  if (!segmentIds.shape.every((size, axis) => x.shape[axis] === size)) {
    throw new ShapeError('unsortedSegmentSum x', `[${segmentIds.shape.join(', ')}, ...]`,
      x.shape);
  }
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new DataError(
      `unsortedSegmentSum on wasm: x has dtype '${x.dtype}'; cast it to float32 or int32`);
  }
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new DataError(
      `unsortedSegmentSum on wasm: numSegments is ${numSegments}; use a whole number >= 0`);
  }
}

/** Registers the kernel for wasm unless one is already there. Safe to call again. */
export function registerSegmentSum(): void {
  if (tf.getKernel('UnsortedSegmentSum', 'wasm') === undefined) {
    tf.registerKernel({
      kernelName: 'UnsortedSegmentSum',
      backendName: 'wasm',
      kernelFunc: unsortedSegmentSum,
    });
  }
}
