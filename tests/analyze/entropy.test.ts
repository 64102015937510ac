// Forking tokens: quantiles and the top fifth's share of the loss on pinned inputs, and the
// decoder's predictive entropy against its own logits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../src/backend/index.js';
import { predictiveScores, quantile, topQuintile } from '../../src/analyze/entropy.js';
import { resolveConfig } from '../../src/config/index.js';
import { createLatentModel } from '../../src/vi/model.js';
import { disposeDecoder, decoderLogits } from '../../src/decoder/index.js';

describe('quantile and topQuintile', () => {
  it('should interpolate between sorted values', () => {
    expect(quantile([0, 10, 20, 30, 40], 0.5)).toBe(20);
    expect(quantile([0, 10, 20, 30, 40], 0.8)).toBeCloseTo(32, 12);
  });

  it('should find 2 of 10 tokens above the 80th percentile carrying 19/55 of the loss', () => {
    const entropy = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const result = topQuintile(entropy, entropy);
    expect(result.threshold).toBeCloseTo(8.2, 12);
    expect(result.share).toBe(0.2);
    expect(result.lossShare).toBeCloseTo(19 / 55, 12);
  });

  it('should keep both shares in [0, 1] for any entropies and losses', () => {
    const values = fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 1,
      maxLength: 50 });
    fc.assert(fc.property(values, (entropy) => {
      const result = topQuintile(entropy, entropy.map((x) => x * 2));
      for (const share of [result.share, result.lossShare]) {
        expect(share).toBeGreaterThanOrEqual(0);
        expect(share).toBeLessThanOrEqual(1);
      }
      // Only values past the interpolated 80th percentile: at most 0.2 (n - 1) + 1 of n.
      const n = entropy.length;
      expect(result.share).toBeLessThanOrEqual((0.2 * (n - 1) + 1) / n + 1e-12);
    }));
  });
});

describe('predictiveScores', () => {
  it('should match the entropy and NLL computed from the decoder\'s own logits', async () => {
    await initBackend('cpu');
    const config = resolveConfig({ model: { layers: 1, width: 16, heads: 2, mlpHidden: 16,
      sequenceLength: 4, window: 4, initStd: 0.5 }, latents: { enabled: false } });
    const model = createLatentModel(config, 5);
    const tokens = tf.tensor2d([[0, 1, 2, 3]], [1, 4], 'int32');
    const targets = tf.tensor2d([[1, 2, 3, 4]], [1, 4], 'int32');
    const { entropy, nll } = predictiveScores(model, tokens, targets, null);
    const logits = decoderLogits(model.decoder, tokens, null).arraySync() as number[][][];
    const expected = logits[0].map((row, t) => {
      const top = Math.max(...row);
      const z = row.reduce((total, x) => total + Math.exp(x - top), 0);
      const p = row.map((x) => Math.exp(x - top) / z);
      return { h: -p.reduce((total, q) => total + q * Math.log(q), 0),
        nll: -Math.log(p[t + 1]) };
    });
    const [h, n] = [entropy.arraySync() as number[][], nll.arraySync() as number[][]];
    expected.forEach((value, t) => {
      expect(h[0][t]).toBeCloseTo(value.h, 5);
      expect(n[0][t]).toBeCloseTo(value.nll, 5);
      expect(h[0][t]).toBeLessThanOrEqual(Math.log(5) + 1e-6);
    });
    tf.dispose([tokens, targets, entropy, nll]);
    disposeDecoder(model.decoder);
  });
});
