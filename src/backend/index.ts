export { tf } from './tf.js';
export type { Tensor, Scalar, Tensor1D, Tensor2D, Tensor3D, Tensor4D, Variable } from './tf.js';
export { initBackend, backendChoices } from './init.js';
export type { BackendChoice } from './init.js';
export {
  fastMatMulActive, heldTransposeCount, holdTransposes, matMulRouteCounts, registerFastMatMul,
  releaseTransposes, resetMatMulRouteCounts, unregisterFastMatMul,
} from './wasm-matmul.js';
export type { MatMulRouteCounts, TransposeHold } from './wasm-matmul.js';
export {
  registerRotateHalf, rotateHalf, rotateHalfActive, unregisterRotateHalf,
} from './rotate-half.js';
export { registerSegmentSum } from './wasm-segment-sum.js';
export { fastGatherActive, registerFastGather, unregisterFastGather } from './wasm-gather.js';
export {
  registerSharedIdentity, sharedIdentityActive, unregisterSharedIdentity,
} from './wasm-identity.js';
export { registerWasmKernels, unregisterWasmKernels } from './wasm-kernels.js';
export type { WasmKernelStatus } from './wasm-kernels.js';
