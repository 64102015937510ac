// The reasoner's weights: created from a seed, counted, and listed by stable names for the
// optimiser and checkpoints. The deterministic baseline has no prior, posterior or answer
// embedding: it is the same network without the noise and what only the noise needs.
import { tf, type Variable } from '../../backend/index.js';
import { deriveRng, type Rng } from '../../random.js';

/** Everything that fixes the reasoner's architecture. */
export interface ReasonerShape {
  /** State positions P. */
  positions: number;
  /** Width D. */
  width: number;
  inputVocab: number;
  outputVocab: number;
  /** Hidden size of the token-mixing MLP across positions. */
  mixHidden: number;
  /** Hidden size of the channel MLP. */
  mlpHidden: number;
  /** Hidden size of the prior and posterior heads. */
  headHidden: number;
  stochastic: boolean;
  /** Noise standard deviation at initialisation (log of it is the heads' bias). */
  initSigma: number;
}

/** One module (f_L or f_H): token mixing, a channel MLP, an RMSNorm on the output. */
export interface MixingBlockParams {
  mixNorm: Variable;
  mixIn: Variable;
  mixInBias: Variable;
  mixOut: Variable;
  mixOutBias: Variable;
  mlpNorm: Variable;
  mlpIn: Variable;
  mlpOut: Variable;
  outNorm: Variable;
}

/** A head mapping a per-position input to the mean and log-sigma of Gaussian noise. */
export interface GuidanceHeadParams {
  hidden: Variable;
  hiddenBias: Variable;
  mean: Variable;
  meanBias: Variable;
  logSigma: Variable;
  logSigmaBias: Variable;
}

export interface ReasonerParams {
  tokenEmbedding: Variable;
  positionEmbedding: Variable;
  /** Fixed starting states h_0 and l_0, [P, D]; not trained, kept in checkpoints. */
  initialHigh: Variable;
  initialLow: Variable;
  low: MixingBlockParams;
  high: MixingBlockParams;
  readoutNorm: Variable;
  readout: Variable;
  readoutBias: Variable;
  /** Present only when stochastic. */
  guidance?: {
    prior: GuidanceHeadParams;
    posterior: GuidanceHeadParams;
    /** Answer tokens (plus "no answer here") for the posterior, [outputVocab + 1, D]. */
    answerEmbedding: Variable;
  };
}

type Init = { kind: 'normal'; std: number } | { kind: 'constant'; value: number };

function makeVariable(rng: Rng, dims: number[], init: Init, trainable = true): Variable {
  return tf.tidy(() => tf.variable(init.kind === 'constant'
    ? tf.fill(dims, init.value)
    : tf.truncatedNormal(dims, 0, init.std, 'float32', rng.seed()), trainable));
}

/** Weights scaled by 1 / sqrt(fan-in), so every product starts at unit scale. */
const fanIn = (inputs: number): Init => ({ kind: 'normal', std: 1 / Math.sqrt(inputs) });
const ones: Init = { kind: 'constant', value: 1 };
const zeros: Init = { kind: 'constant', value: 0 };

function createBlock(shape: ReasonerShape, rng: Rng): MixingBlockParams {
  const { positions, width, mixHidden, mlpHidden } = shape;
  return {
    mixNorm: makeVariable(rng, [width], ones),
    mixIn: makeVariable(rng, [positions, mixHidden], fanIn(positions)),
    mixInBias: makeVariable(rng, [mixHidden], zeros),
    mixOut: makeVariable(rng, [mixHidden, positions], fanIn(mixHidden)),
    mixOutBias: makeVariable(rng, [positions], zeros),
    mlpNorm: makeVariable(rng, [width], ones),
    mlpIn: makeVariable(rng, [width, mlpHidden], fanIn(width)),
    mlpOut: makeVariable(rng, [mlpHidden, width], fanIn(mlpHidden)),
    outNorm: makeVariable(rng, [width], ones),
  };
}

/**
 * Mean weights start at zero and log-sigma weights at zero with bias log(initSigma): at
 * initialisation every head proposes zero-mean noise of scale initSigma, whatever its input.
 */
function createHead(shape: ReasonerShape, inputs: number, rng: Rng): GuidanceHeadParams {
  const { width, headHidden, initSigma } = shape;
  return {
    hidden: makeVariable(rng, [inputs, headHidden], fanIn(inputs)),
    hiddenBias: makeVariable(rng, [headHidden], zeros),
    mean: makeVariable(rng, [headHidden, width], zeros),
    meanBias: makeVariable(rng, [width], zeros),
    logSigma: makeVariable(rng, [headHidden, width], zeros),
    logSigmaBias: makeVariable(rng, [width], { kind: 'constant', value: Math.log(initSigma) }),
  };
}

/** Fresh weights, every draw from a stream derived from `seed`. */
export function createReasonerParams(shape: ReasonerShape, seed: number): ReasonerParams {
  const rng = deriveRng(seed, 'reasoner-init');
  const { positions, width, inputVocab, outputVocab } = shape;
  const unit: Init = { kind: 'normal', std: 1 };
  const params: ReasonerParams = {
    tokenEmbedding: makeVariable(rng, [inputVocab, width], unit),
    positionEmbedding: makeVariable(rng, [positions, width], unit),
    initialHigh: makeVariable(rng, [positions, width], unit, false),
    initialLow: makeVariable(rng, [positions, width], unit, false),
    low: createBlock(shape, rng),
    high: createBlock(shape, rng),
    readoutNorm: makeVariable(rng, [width], ones),
    readout: makeVariable(rng, [width, outputVocab], fanIn(width)),
    readoutBias: makeVariable(rng, [outputVocab], zeros),
  };
  if (shape.stochastic) {
    params.guidance = {
      prior: createHead(shape, width, rng),
      posterior: createHead(shape, 2 * width, rng),
      answerEmbedding: makeVariable(rng, [outputVocab + 1, width], unit),
    };
  }
  return params;
}

function prefixed(prefix: string, record: object): [string, Variable][] {
  return Object.entries(record).map(([name, v]) => [`${prefix}.${name}`, v as Variable]);
}

/** Every weight with a stable dotted name, in a fixed order (checkpoints rely on it). */
export function namedReasonerParams(params: ReasonerParams): [string, Variable][] {
  const named: [string, Variable][] = [
    ['tokenEmbedding', params.tokenEmbedding],
    ['positionEmbedding', params.positionEmbedding],
    ['initialHigh', params.initialHigh],
    ['initialLow', params.initialLow],
    ...prefixed('low', params.low),
    ...prefixed('high', params.high),
    ['readoutNorm', params.readoutNorm],
    ['readout', params.readout],
    ['readoutBias', params.readoutBias],
  ];
  const guidance = params.guidance;
  if (guidance !== undefined) {
    named.push(...prefixed('prior', guidance.prior), ...prefixed('posterior', guidance.posterior),
      ['answerEmbedding', guidance.answerEmbedding]);
  }
  return named;
}

/** The weights the optimiser updates (everything but the fixed starting states). */
export function trainableReasonerParams(params: ReasonerParams): [string, Variable][] {
  return namedReasonerParams(params).filter(([, variable]) => variable.trainable);
}

/** Number of trained floats. */
export function countReasonerParams(params: ReasonerParams): number {
  return trainableReasonerParams(params).reduce((total, [, v]) => total + v.size, 0);
}

/** Frees every weight. */
export function disposeReasonerParams(params: ReasonerParams): void {
  for (const [, variable] of namedReasonerParams(params)) variable.dispose();
}
