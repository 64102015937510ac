export { tf } from './tf.js';
export type { Tensor, Scalar, Tensor1D, Tensor2D, Tensor3D, Tensor4D, Variable } from './tf.js';
export { initBackend, backendChoices } from './init.js';
export type { BackendChoice } from './init.js';
