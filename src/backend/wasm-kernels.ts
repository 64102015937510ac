// The project's own wasm kernels, registered once the wasm backend has started: a faster
// matrix product, Identity and Cast kernels that share memory instead of copying, a gather
// that copies rows, rotate-half for rotary positions, and the UnsortedSegmentSum kernel that
// gather gradients need.
import { registerRotateHalf, unregisterRotateHalf } from './rotate-half.js';
import { registerFastGather, unregisterFastGather } from './wasm-gather.js';
import { registerSharedIdentity, unregisterSharedIdentity } from './wasm-identity.js';
import { registerFastMatMul, unregisterFastMatMul } from './wasm-matmul.js';
import { registerSegmentSum } from './wasm-segment-sum.js';

/** What `registerWasmKernels` put in place. */
export interface WasmKernelStatus {
  /** False when the wasm package is not the version the fast product was written for. */
  fastMatMul: boolean;
  /** Identity and same-type Cast share memory. */
  sharedIdentity: boolean;
  /** GatherV2 copies whole rows. */
  fastGather: boolean;
}

/** Registers every project kernel for wasm. Safe to call again. */
export function registerWasmKernels(): WasmKernelStatus {
  registerSegmentSum();
  registerRotateHalf();
  return {
    fastMatMul: registerFastMatMul(),
    sharedIdentity: registerSharedIdentity(),
    fastGather: registerFastGather(),
  };
}

/**
 * Puts the stock wasm kernels back wherever a project kernel replaced one, to compare both in
 * one process. UnsortedSegmentSum stays: wasm has no stock kernel of that name.
 */
export function unregisterWasmKernels(): void {
  unregisterFastMatMul();
  unregisterSharedIdentity();
  unregisterFastGather();
  unregisterRotateHalf();
}
