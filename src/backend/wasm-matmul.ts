// Replaces the wasm backend's BatchMatMul and _FusedMatMul kernels so that transposed, batched
// and broadcast products reach XNNPACK, which the stock kernels use only for 2-D untransposed
// products; everything else there runs a scalar loop 13 to 25 times slower.
//
// NOTE: this reaches into the internals of @tensorflow/tfjs-backend-wasm 4.22.0 (tensor ids,
// heap offsets, the module's exported C functions); registerFastMatMul refuses other versions.
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';
import { tf } from './tf.js';

type TensorInfo = tf.TensorInfo;
type KernelConfig = tf.KernelConfig;
type KernelFunc = tf.KernelFunc;

const pinnedVersion = '4.22.0';
const bytesPerFloat = 4;

/** The internals of the 4.22.0 wasm backend that this module relies on. */
interface WasmBackend {
  wasm: {
    cwrap(name: string, returns: null, args: string[]): (...args: unknown[]) => void;
    tfjs: {
      registerTensor(id: number, size: number, memoryOffset: number): void;
      disposeData(id: number): void;
    };
  };
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } | undefined };
  dataIdNextNumber: number;
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  disposeData(dataId: object): boolean;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

/** How many products each route has run since the last reset. */
export interface MatMulRouteCounts {
  /** Right operand with batch 1: one XNNPACK call over all left rows. */
  folded: number;
  /** One XNNPACK call per output batch element. */
  batched: number;
  /** Batched products computed as (b^T a^T)^T, so that less is packed per call. */
  turned: number;
  /** int32 operands, multiplied as float32 and converted back. */
  converted: number;
  /** An empty output or an empty inner dimension: no product to run. */
  empty: number;
  /** Handed to the stock kernel. */
  stock: number;
}

const counts: MatMulRouteCounts = {
  folded: 0, batched: 0, turned: 0, converted: 0, empty: 0, stock: 0,
};

/** A copy of the route counters, so a test can see which path a product took. */
export function matMulRouteCounts(): MatMulRouteCounts {
  return { ...counts };
}

export function resetMatMulRouteCounts(): void {
  for (const key of Object.keys(counts) as (keyof MatMulRouteCounts)[]) counts[key] = 0;
}

// ---------------------------------------------------------------------------------------------
// Calls into the wasm module

/** The module's product functions, wrapped once per module instance. */
interface NativeCalls {
  batchMatMul: (...args: unknown[]) => void;
  fusedMatMul: (...args: unknown[]) => void;
}

const nativeByModule = new WeakMap<object, NativeCalls>();

function nativeCalls(backend: WasmBackend): NativeCalls {
  let calls = nativeByModule.get(backend.wasm);
  if (calls === undefined) {
    // Argument lists of the exported C functions: ids, shapes as int32 bytes, ranks, flags.
    const product = ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number'];
    calls = {
      batchMatMul: backend.wasm.cwrap('BatchMatMul', null, [...product, 'number']),
      fusedMatMul: backend.wasm.cwrap('_FusedMatMul', null,
        [...product, 'number', 'number', 'number', 'number', 'number']),
    };
    nativeByModule.set(backend.wasm, calls);
  }
  return calls;
}

function shapeBytes(shape: number[]): Uint8Array {
  return new Uint8Array(new Int32Array(shape).buffer);
}

/** Tensor ids of one untransposed product `[M, K] x [K, N] -> [M, N]`; bias 0 means none. */
interface ProductIds {
  a: number;
  b: number;
  out: number;
  bias: number;
}

interface ProductDims {
  rows: number;
  inner: number;
  cols: number;
}

/** Runs one product of fixed size through the module; batch 1 untransposed reaches XNNPACK. */
type Product = (ids: ProductIds) => void;

/** Makes the product for one size, so a batch loop encodes its shapes once. */
type ProductMaker = (dims: ProductDims) => Product;

function plainProduct(calls: NativeCalls): ProductMaker {
  return ({ rows, inner, cols }) => {
    const aShape = shapeBytes([1, rows, inner]);
    const bShape = shapeBytes([1, inner, cols]);
    return (ids) => calls.batchMatMul(ids.a, aShape, 3, ids.b, bShape, 3, 0, 0, ids.out);
  };
}

function fusedProduct(calls: NativeCalls, activation: number, alpha: number): ProductMaker {
  return ({ rows, inner, cols }) => {
    const aShape = shapeBytes([1, rows, inner]);
    const bShape = shapeBytes([1, inner, cols]);
    return (ids) => calls.fusedMatMul(
      ids.a, aShape, 3, ids.b, bShape, 3, 0, 0, activation, ids.bias, 0, alpha, ids.out);
  };
}

// ---------------------------------------------------------------------------------------------
// Heap views

/**
 * Temporary tensor ids for slices of buffers already in the heap. XNNPACK caches its packed
 * weights per right-operand id and drops them when the id is disposed, so every slice gets a
 * fresh id that is released straight after its call.
 */
class HeapViews {
  private readonly ids: number[] = [];

  constructor(private readonly backend: WasmBackend) {}

  take(memoryOffset: number, size: number): number {
    const id = this.backend.dataIdNextNumber++;
    this.backend.wasm.tfjs.registerTensor(id, size, memoryOffset);
    this.ids.push(id);
    return id;
  }

  release(): void {
    for (const id of this.ids) this.backend.wasm.tfjs.disposeData(id);
    this.ids.length = 0;
  }
}

function heapEntry(backend: WasmBackend, info: TensorInfo): { id: number; memoryOffset: number } {
  const entry = backend.dataIdMap.get(info.dataId);
  if (entry === undefined) throw new Error('fast matMul: an operand is not in the wasm heap');
  return entry;
}

// ---------------------------------------------------------------------------------------------
// Planning

/** Shapes of one product after transposes: operands `[..., M, K]` and `[..., K, N]`. */
interface ProductPlan {
  rows: number;
  inner: number;
  cols: number;
  outerA: number[];
  outerB: number[];
  outerOut: number[];
  batchA: number;
  batchB: number;
  batchOut: number;
  outShape: number[];
}

/** The plan, or null where the stock kernel must decide (bad ranks or inner sizes). */
function planProduct(
  a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean,
): ProductPlan | null {
  const rankA = a.shape.length;
  const rankB = b.shape.length;
  if (rankA < 2 || rankB < 2) return null;
  const [a0, a1] = a.shape.slice(-2);
  const [b0, b1] = b.shape.slice(-2);
  const rows = transposeA ? a1 : a0;
  const inner = transposeA ? a0 : a1;
  const cols = transposeB ? b0 : b1;
  if ((transposeB ? b1 : b0) !== inner) return null;

  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const outerOut = tf.broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
  return {
    rows, inner, cols, outerA, outerB, outerOut,
    batchA: tf.util.sizeFromShape(outerA),
    batchB: tf.util.sizeFromShape(outerB),
    batchOut: tf.util.sizeFromShape(outerOut),
    outShape: [...outerOut, rows, cols],
  };
}

/** Flat batch index into an operand's outer shape for a flat index into the output's. */
function broadcastIndex(flat: number, outerOut: number[], outer: number[]): number {
  const skipped = outerOut.length - outer.length;
  let rest = flat;
  let index = 0;
  let stride = 1;
  for (let d = outerOut.length - 1; d >= skipped; d--) {
    const coordinate = rest % outerOut[d];
    rest = Math.floor(rest / outerOut[d]);
    const size = outer[d - skipped];
    if (size !== 1) index += coordinate * stride;
    stride *= size;
  }
  return index;
}

// ---------------------------------------------------------------------------------------------
// Held transposes

/** A held tensor's transposed copies by reading (`batch x rows x cols`), and its holders. */
interface HeldEntry {
  copies: Map<string, { backend: WasmBackend; info: TensorInfo }>;
  holders: number;
}

const held = new Map<object, HeldEntry>();

/** What `holdTransposes` took; give it back to `releaseTransposes`. */
export interface TransposeHold {
  dataIds: object[];
}

/**
 * Keeps the transposed copy of each of `tensors` that a product makes, for reuse by later
 * products, until `releaseTransposes`. Meant for weights that stay fixed for a while (the
 * decoder during an inner loop): a product with a held weight transposed neither transposes
 * it again nor repacks it. Holds nest; on other backends they do nothing.
 */
export function holdTransposes(tensors: readonly tf.Tensor[]): TransposeHold {
  const dataIds = [...new Set(tensors.map((tensor) => tensor.dataId as object))];
  for (const dataId of dataIds) {
    const entry = held.get(dataId) ?? { copies: new Map(), holders: 0 };
    entry.holders += 1;
    held.set(dataId, entry);
  }
  return { dataIds };
}

/** Frees the copies `hold` kept, unless another hold still has them. Safe to call again. */
export function releaseTransposes(hold: TransposeHold): void {
  for (const dataId of hold.dataIds) {
    const entry = held.get(dataId);
    if (entry === undefined) continue;
    entry.holders -= 1;
    if (entry.holders > 0) continue;
    for (const copy of entry.copies.values()) copy.backend.disposeData(copy.info.dataId);
    held.delete(dataId);
  }
  hold.dataIds = [];
}

/** Transposed copies currently held, over all holds (for tests). */
export function heldTransposeCount(): number {
  let count = 0;
  for (const entry of held.values()) count += entry.copies.size;
  return count;
}

// ---------------------------------------------------------------------------------------------
// Running

/** An operand as untransposed `[batch, rows, cols]` floats; `owned` ones are freed after. */
interface Operand {
  info: TensorInfo;
  owned: boolean;
}

function transposed(backend: WasmBackend, flat: TensorInfo): TensorInfo {
  // The wasm Transpose kernel is fast; the transposed loop of the stock product is not.
  return stockKernels().transpose(
    { inputs: { x: flat }, backend, attrs: { perm: [0, 2, 1] } }) as TensorInfo;
}

function asOperand(backend: WasmBackend, x: TensorInfo, transpose: boolean): Operand {
  const [rows, cols] = x.shape.slice(-2);
  const batch = tf.util.sizeFromShape(x.shape.slice(0, -2));
  const flat: TensorInfo = { dataId: x.dataId, dtype: x.dtype, shape: [batch, rows, cols] };
  if (!transpose) return { info: flat, owned: false };
  const entry = held.get(x.dataId);
  if (entry === undefined) return { info: transposed(backend, flat), owned: true };
  const reading = flat.shape.join('x');
  let copy = entry.copies.get(reading);
  if (copy === undefined) {
    copy = { backend, info: transposed(backend, flat) };
    entry.copies.set(reading, copy);
  }
  return { info: copy.info, owned: false };
}

function releaseOperand(backend: WasmBackend, operand: Operand | undefined): void {
  if (operand?.owned) backend.disposeData(operand.info.dataId);
}

/** Inputs of one float32 product; `bias` is a rank-1 `[N]` tensor of the fused kernel. */
interface ProductRequest {
  a: TensorInfo;
  b: TensorInfo;
  transposeA: boolean;
  transposeB: boolean;
  bias?: TensorInfo;
}

/** Runs a planned float32 product with no empty dimension; the result has `plan.outShape`. */
function runProduct(
  backend: WasmBackend, request: ProductRequest, plan: ProductPlan, product: ProductMaker,
): TensorInfo {
  const left = asOperand(backend, request.a, request.transposeA);
  let right: Operand | undefined;
  try {
    right = asOperand(backend, request.b, request.transposeB);
    const out = backend.makeOutput([plan.batchOut, plan.rows, plan.cols], 'float32');
    const run = plan.batchB === 1 ? runFolded : runBatched;
    try {
      run({ backend, left, right, out, bias: request.bias, plan, product });
    } catch (error) {
      backend.disposeData(out.dataId);
      throw error;
    }
    counts[plan.batchB === 1 ? 'folded' : 'batched'] += 1;
    return { ...out, shape: plan.outShape };
  } finally {
    releaseOperand(backend, left);
    releaseOperand(backend, right);
  }
}

interface RunArgs {
  backend: WasmBackend;
  left: Operand;
  right: Operand;
  out: TensorInfo;
  bias?: TensorInfo;
  plan: ProductPlan;
  product: ProductMaker;
}

/**
 * Right-operand ids whose XNNPACK operator was built for a `K x N` reading. A reshape keeps
 * the tensor id, so a second reading of the same id must not reuse the cached operator.
 */
const weightReadings = new WeakMap<object, string>();

/** `[batch * M, K] x [K, N]` as one call: a weight shared by the whole batch. */
function runFolded({ backend, left, right, out, bias, plan, product }: RunArgs): void {
  const views = new HeapViews(backend);
  try {
    const weight = heapEntry(backend, right.info);
    const reading = `${plan.inner}x${plan.cols}`;
    const known = weightReadings.get(right.info.dataId);
    if (known === undefined && !right.owned) weightReadings.set(right.info.dataId, reading);
    // A stable weight keeps its id so XNNPACK's packed copy is reused across calls.
    const stable = !right.owned && (known === undefined || known === reading);
    const b = stable ? weight.id : views.take(weight.memoryOffset, plan.inner * plan.cols);
    product({ rows: plan.batchA * plan.rows, inner: plan.inner, cols: plan.cols })({
      a: heapEntry(backend, left.info).id,
      b,
      out: heapEntry(backend, out).id,
      bias: biasId(backend, bias, stable ? undefined : views),
    });
  } finally {
    views.release();
  }
}

/** One call per output batch element, on views into the operands' heap buffers. */
function runBatched({ backend, left, right, out, bias, plan, product }: RunArgs): void {
  const { rows, inner, cols } = plan;
  const a = heapEntry(backend, left.info);
  const b = heapEntry(backend, right.info);
  const o = heapEntry(backend, out);
  const views = new HeapViews(backend);
  const slice = product({ rows, inner, cols });
  for (let i = 0; i < plan.batchOut; i++) {
    try {
      const ia = broadcastIndex(i, plan.outerOut, plan.outerA);
      const ib = broadcastIndex(i, plan.outerOut, plan.outerB);
      slice({
        a: plan.batchA === 1 ? a.id
          : views.take(a.memoryOffset + ia * rows * inner * bytesPerFloat, rows * inner),
        b: views.take(b.memoryOffset + ib * inner * cols * bytesPerFloat, inner * cols),
        out: views.take(o.memoryOffset + i * rows * cols * bytesPerFloat, rows * cols),
        bias: biasId(backend, bias, views),
      });
    } finally {
      views.release();
    }
  }
}

/**
 * The bias id for a call. XNNPACK files its operator under the bias id too, so a call whose
 * right operand is temporary also takes a temporary bias id: both are released together and
 * nothing is left behind in the operator cache.
 */
function biasId(backend: WasmBackend, bias: TensorInfo | undefined, views?: HeapViews): number {
  if (bias === undefined) return 0;
  const entry = heapEntry(backend, bias);
  return views === undefined ? entry.id : views.take(entry.memoryOffset, bias.shape[0]);
}

/** The result of a product with an empty output or an empty inner dimension: zeros. */
function emptyProduct(backend: WasmBackend, plan: ProductPlan): TensorInfo {
  const out = backend.makeOutput(plan.outShape, 'float32');
  if (plan.batchOut * plan.rows * plan.cols > 0) backend.typedArrayFromHeap(out).fill(0);
  counts.empty += 1;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Kernels

type KernelArgs = Parameters<KernelFunc>[0];

function runStock(config: KernelConfig, args: KernelArgs): TensorInfo {
  counts.stock += 1;
  return config.kernelFunc(args) as TensorInfo;
}

function fastBatchMatMul(args: KernelArgs): TensorInfo {
  const backend = args.backend as WasmBackend;
  const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
  const transposeA = Boolean(args.attrs?.transposeA);
  const transposeB = Boolean(args.attrs?.transposeB);
  const plan = planProduct(a, b, transposeA, transposeB);
  if (plan === null) return runStock(stockKernels().batchMatMul, args);
  if (a.dtype === 'int32' && b.dtype === 'int32') return convertedProduct(args);
  if (a.dtype !== 'float32' || b.dtype !== 'float32') {
    return runStock(stockKernels().batchMatMul, args);
  }
  if (plan.inner === 0 || plan.batchOut * plan.rows * plan.cols === 0) {
    return emptyProduct(backend, plan);
  }
  const request = { a, b, transposeA, transposeB };
  if (turnPays(plan)) return turnedProduct(backend, request, plan);
  return runProduct(backend, request, plan, plainProduct(nativeCalls(backend)));
}

/**
 * Whether a batched product is cheaper as (b^T a^T)^T. XNNPACK packs the right operand anew
 * for every call of a batch, `K x N` floats each time, and packing costs far more per float
 * than the fast transposes the turned product needs. The cross-attention gradient
 * `[64, 4]^T x [64, 64]` packs 16 times less turned.
 */
function turnPays(plan: ProductPlan): boolean {
  return plan.batchB > 1 && plan.cols >= 2 * plan.rows;
}

/** `a x b` as the transpose of `b^T x a^T`; the same numbers, the sums in the same order. */
function turnedProduct(backend: WasmBackend, request: ProductRequest, plan: ProductPlan):
  TensorInfo {
  const turned: ProductRequest = {
    a: request.b, b: request.a, transposeA: !request.transposeB, transposeB: !request.transposeA,
  };
  const turnedPlan = planProduct(turned.a, turned.b, turned.transposeA, turned.transposeB);
  if (turnedPlan === null) throw new Error('fast matMul: a turned product has no plan');
  const product = runProduct(backend, turned, turnedPlan, plainProduct(nativeCalls(backend)));
  try {
    const out = transposed(backend, { ...product, shape: [plan.batchOut, plan.cols, plan.rows] });
    counts.turned += 1;
    return { ...out, shape: plan.outShape };
  } finally {
    backend.disposeData(product.dataId);
  }
}

/**
 * int32 products, which the stock kernel refuses: multiplied as float32, then converted back.
 * NOTE: exact while every partial sum stays below 2^24 in magnitude.
 */
function convertedProduct(args: KernelArgs): TensorInfo {
  const backend = args.backend as WasmBackend;
  const { cast } = stockKernels();
  const toFloat = (x: TensorInfo) => cast(
    { inputs: { x }, backend, attrs: { dtype: 'float32' } }) as TensorInfo;
  const a = toFloat(args.inputs.a as TensorInfo);
  const b = toFloat(args.inputs.b as TensorInfo);
  try {
    const product = fastBatchMatMul({ ...args, inputs: { a, b } });
    try {
      counts.converted += 1;
      return cast({ inputs: { x: product }, backend, attrs: { dtype: 'int32' } }) as TensorInfo;
    } finally {
      backend.disposeData(product.dataId);
    }
  } finally {
    backend.disposeData(a.dataId);
    backend.disposeData(b.dataId);
  }
}

/**
 * Fused activations that act on each output element alone, by the module's enum values.
 * `prelu` is left out: its weights broadcast against the whole output, not one slice.
 */
const elementwiseActivations: Record<string, number> = {
  linear: 0, relu: 1, relu6: 2, leakyrelu: 4, sigmoid: 5, elu: 6,
};

/** Whether the fast path takes a fused product: float32, elementwise, one bias per column. */
function fusedHandled(inputs: KernelArgs['inputs'], plan: ProductPlan): boolean {
  const { a, b, bias, preluActivationWeights } = inputs;
  const biasFits = bias === undefined || (bias.shape.length === 1 && bias.shape[0] === plan.cols);
  return a?.dtype === 'float32' && b?.dtype === 'float32' && biasFits
    && preluActivationWeights === undefined
    && plan.inner > 0 && plan.batchOut * plan.rows * plan.cols > 0;
}

function fastFusedMatMul(args: KernelArgs): TensorInfo {
  const backend = args.backend as WasmBackend;
  const { a, b, bias } = args.inputs;
  const attrs = args.attrs ?? {};
  const transposeA = Boolean(attrs.transposeA);
  const transposeB = Boolean(attrs.transposeB);
  const activation = elementwiseActivations[String(attrs.activation ?? 'linear')];
  const plan = a && b ? planProduct(a, b, transposeA, transposeB) : null;
  if (!a || !b || plan === null || activation === undefined || !fusedHandled(args.inputs, plan)) {
    return runStock(stockKernels().fusedMatMul, args);
  }
  const alpha = Number(attrs.leakyreluAlpha ?? 0);
  const product = fusedProduct(nativeCalls(backend), activation, alpha);
  return runProduct(backend, { a, b, transposeA, transposeB, bias }, plan, product);
}

// ---------------------------------------------------------------------------------------------
// Registration

interface StockKernels {
  batchMatMul: KernelConfig;
  fusedMatMul: KernelConfig;
  transpose: KernelFunc;
  cast: KernelFunc;
}

let stock: StockKernels | undefined;

function stockKernels(): StockKernels {
  if (stock === undefined) throw new Error('fast matMul: used before registerFastMatMul()');
  return stock;
}

function lookUpStock(): StockKernels | undefined {
  const batchMatMul = tf.getKernel('BatchMatMul', 'wasm');
  const fusedMatMul = tf.getKernel('_FusedMatMul', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  const cast = tf.getKernel('Cast', 'wasm');
  if (!batchMatMul || !fusedMatMul || !transpose || !cast) return undefined;
  return { batchMatMul, fusedMatMul, transpose: transpose.kernelFunc, cast: cast.kernelFunc };
}

function replaceKernel(config: KernelConfig): void {
  tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
}

let active = false;

/** Whether the fast kernels are registered now. */
export function fastMatMulActive(): boolean {
  return active;
}

/**
 * Registers the fast BatchMatMul and _FusedMatMul kernels for the wasm backend. Safe to call
 * again; returns whether they are active (false when the wasm package is not the 4.22.0 this
 * code was written against, or its kernels are missing).
 */
export function registerFastMatMul(): boolean {
  if (active) return true;
  if (version_wasm !== pinnedVersion) return false;
  stock ??= lookUpStock();
  if (stock === undefined) return false;
  // The stock setup functions stay, so the stock kernels keep working as fallbacks.
  replaceKernel({ ...stock.batchMatMul, kernelFunc: fastBatchMatMul });
  replaceKernel({ ...stock.fusedMatMul, kernelFunc: fastFusedMatMul });
  active = true;
  return true;
}

/** Puts the stock kernels back (to compare both in one process). Safe to call again. */
export function unregisterFastMatMul(): void {
  if (!active || stock === undefined) return;
  replaceKernel(stock.batchMatMul);
  replaceKernel(stock.fusedMatMul);
  active = false;
}
