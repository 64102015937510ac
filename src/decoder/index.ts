export {
  createDecoder, disposeDecoder, decoderMatrices, decoderParameterCount, decoderPrefix,
  decodeFromPrefix, disposePrefix, keptPrefix, outputLogits, targetNll, tokenNll,
  decoderLogits,
} from './transformer.js';
export type { Decoder, DecoderPrefix } from './transformer.js';
export { namedParams, countParams } from './params.js';
export type { DecoderShape, DecoderParams, BlockParams } from './params.js';
