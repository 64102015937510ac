export {
  checkGaussian, initialPosterior, clampLogVar, standardNormal, reparameterise,
  klToStandardNormal, klBetween,
} from './gaussian.js';
export type { Gaussian } from './gaussian.js';
export { balancedKl, stopGaussian, stopGradient } from './balance.js';
