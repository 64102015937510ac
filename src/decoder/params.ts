// The decoder's weights: created from a seed, counted, and listed by name for optimisers and
// checkpoints. Cross-attention projections are shared by all K latent slots, so the
// parameter count does not depend on K.
import { tf, type Variable } from '../backend/index.js';
import { deriveRng } from '../random.js';

/** Everything that fixes the decoder's architecture. */
export interface DecoderShape {
  vocabSize: number;
  layers: number;
  width: number;
  heads: number;
  mlpHidden: number;
  window: number;
  ropeBase: number;
  /** Size of each latent vector; ignored when `latents` is false. */
  latentDim: number;
  /** false: the autoregressive baseline, with no cross-attention at all. */
  latents: boolean;
}

/** Cross-attention from tokens to one layer's latent vectors. */
export interface CrossAttentionParams {
  norm: Variable;
  query: Variable;
  key: Variable;
  value: Variable;
  output: Variable;
}

/** One pre-norm block: self-attention, optional cross-attention, SwiGLU MLP. */
export interface BlockParams {
  attentionNorm: Variable;
  query: Variable;
  key: Variable;
  value: Variable;
  output: Variable;
  cross?: CrossAttentionParams;
  mlpNorm: Variable;
  gate: Variable;
  up: Variable;
  down: Variable;
}

export interface DecoderParams {
  embedding: Variable;
  blocks: BlockParams[];
  finalNorm: Variable;
}

type Maker = (shape: number[], std: number) => Variable;

function makeCross(shape: DecoderShape, make: Maker, std: number, outStd: number) {
  const { width, latentDim } = shape;
  return {
    norm: make([width], 0),
    query: make([width, width], std),
    key: make([latentDim, width], std),
    value: make([latentDim, width], std),
    output: make([width, width], outStd),
  };
}

/**
 * Fresh weights drawn from N(0, initStd^2) with a seed; output projections use
 * initStd / sqrt(2 L) so the residual stream does not grow with depth; norm gains start at 1.
 */
export function createParams(shape: DecoderShape, initStd: number, seed: number): DecoderParams {
  const rng = deriveRng(seed, 'decoder-init');
  const make: Maker = (dims, std) => tf.tidy(() => tf.variable(std === 0
    ? tf.ones(dims)
    : tf.truncatedNormal(dims, 0, std, 'float32', rng.seed())));
  const { width, mlpHidden, layers } = shape;
  const outStd = initStd / Math.sqrt(2 * layers);

  const blocks: BlockParams[] = [];
  for (let layer = 0; layer < layers; layer++) {
    blocks.push({
      attentionNorm: make([width], 0),
      query: make([width, width], initStd),
      key: make([width, width], initStd),
      value: make([width, width], initStd),
      output: make([width, width], outStd),
      cross: shape.latents ? makeCross(shape, make, initStd, outStd) : undefined,
      mlpNorm: make([width], 0),
      gate: make([width, mlpHidden], initStd),
      up: make([width, mlpHidden], initStd),
      down: make([mlpHidden, width], outStd),
    });
  }
  const embedding = make([shape.vocabSize, width], initStd);
  return { embedding, blocks, finalNorm: make([width], 0) };
}

/** Every weight with a stable dotted name, in a fixed order (checkpoints rely on it). */
export function namedParams(params: DecoderParams): [string, Variable][] {
  const named: [string, Variable][] = [['embedding', params.embedding]];
  params.blocks.forEach((block, layer) => {
    const { cross, ...own } = block;
    for (const [name, variable] of Object.entries(own)) {
      named.push([`blocks.${layer}.${name}`, variable as Variable]);
    }
    for (const [name, variable] of Object.entries(cross ?? {})) {
      named.push([`blocks.${layer}.cross.${name}`, variable]);
    }
  });
  named.push(['finalNorm', params.finalNorm]);
  return named;
}

/** Number of trainable floats. */
export function countParams(params: DecoderParams): number {
  return namedParams(params).reduce((total, [, variable]) => total + variable.size, 0);
}

/** Frees every weight. */
export function disposeParams(params: DecoderParams): void {
  for (const [, variable] of namedParams(params)) variable.dispose();
}
