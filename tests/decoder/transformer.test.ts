// Decoder invariants on a tiny model (cpu backend): causality, the sliding window's receptive
// field, a parameter count free of K, the latent switch and its shape checks, and the NLL head
// with its custom gradient against an independent log-softmax.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf, type Tensor, type Tensor2D } from '../../src/backend/index.js';
import { resolveConfig } from '../../src/config/index.js';
import {
  createDecoder, decoderLogits, decoderParameterCount, disposeDecoder, disposePrefix, keptPrefix,
  targetNll, tokenNll, type Decoder, type DecoderShape,
} from '../../src/decoder/index.js';
import { ShapeError } from '../../src/errors.js';
import { standardNormal } from '../../src/latents/index.js';
import { createRng } from '../../src/random.js';
import { createLatentModel } from '../../src/vi/model.js';

const layers = 2;
const window = 3;
const length = 12;
const vocabSize = 11;
const shape: DecoderShape = {
  vocabSize, layers, width: 8, heads: 2, mlpHidden: 16, window, ropeBase: 10000,
  latentDim: 4, latents: true,
};

let ltm: Decoder;
let ar: Decoder;
let z: Tensor;

beforeAll(async () => {
  await initBackend('cpu');
  // A large init scale so every dependency shows up well above rounding.
  ltm = createDecoder(shape, 0.5, 3);
  ar = createDecoder({ ...shape, latents: false }, 0.5, 3);
  z = standardNormal([1, layers, 2, shape.latentDim], 11);
});

afterAll(() => {
  disposeDecoder(ltm);
  disposeDecoder(ar);
  z.dispose();
});

const rng = createRng('decoder-tests');
const baseTokens = Array.from({ length }, () => rng.int(vocabSize));

/** Logits [T, V] of one sequence as rows of plain numbers. */
function logitsOf(decoder: Decoder, tokens: number[], latents: Tensor | null): number[][] {
  return tf.tidy(() => {
    const input = tf.tensor2d(tokens, [1, tokens.length], 'int32');
    const logits = decoderLogits(decoder, input, latents);
    return (logits.arraySync() as number[][][])[0];
  });
}

function withTokenChanged(position: number): number[] {
  const changed = baseTokens.slice();
  changed[position] = (changed[position] + 1 + rng.int(vocabSize - 1)) % vocabSize;
  return changed;
}

const maxDifference = (a: number[], b: number[]) =>
  Math.max(...a.map((value, index) => Math.abs(value - b[index])));

describe.each([
  { kind: 'LTM', decoder: () => ltm, latents: () => z },
  { kind: 'AR', decoder: () => ar, latents: () => null },
])('the $kind decoder', ({ decoder, latents }) => {
  it('should keep earlier logits identical when a later token changes', () => {
    const base = logitsOf(decoder(), baseTokens, latents());
    fc.assert(fc.property(fc.integer({ min: 1, max: length - 1 }), (changedAt) => {
      const changed = logitsOf(decoder(), withTokenChanged(changedAt), latents());
      for (let position = 0; position < changedAt; position++) {
        expect(changed[position]).toEqual(base[position]);
      }
      expect(maxDifference(changed[changedAt], base[changedAt])).toBeGreaterThan(1e-4);
    }), { numRuns: 12 });
  });

  it('should ignore a token more than L (W - 1) back when the window is W', () => {
    const reach = layers * (window - 1);
    const base = logitsOf(decoder(), baseTokens, latents());
    const changed = logitsOf(decoder(), withTokenChanged(0), latents());
    // Position `reach` still sees token 0 through L hops of W - 1; the next one does not.
    expect(maxDifference(changed[reach], base[reach])).toBeGreaterThan(1e-5);
    for (let position = reach + 1; position < length; position++) {
      expect(changed[position]).toEqual(base[position]);
    }
  });
});

describe('decoder latents', () => {
  it('should change the logits at every position when the LTM gets other latents', () => {
    const other = standardNormal(z.shape, 12);
    const first = logitsOf(ltm, baseTokens, z);
    const second = logitsOf(ltm, baseTokens, other);
    other.dispose();
    first.forEach((row, position) => {
      expect(maxDifference(row, second[position])).toBeGreaterThan(1e-3);
    });
  });

  it('should accept any K with the same weights when K is 1 or 5', () => {
    for (const slots of [1, 5]) {
      const latents = standardNormal([1, layers, slots, shape.latentDim], slots);
      const logits = logitsOf(ltm, baseTokens, latents);
      latents.dispose();
      expect([logits.length, logits[0].length]).toEqual([length, vocabSize]);
    }
  });

  it('should give the same NLL from a kept prefix as from the tokens when latents vary', () => {
    const tokens = tf.tensor2d(baseTokens, [1, length], 'int32');
    const targets = tf.tensor2d(withTokenChanged(0), [1, length], 'int32');
    const prefix = keptPrefix(ltm, tokens);
    for (const seed of [21, 22]) {
      const [direct, fromPrefix] = tf.tidy(() => {
        const latents = standardNormal(z.shape, seed);
        return [tokenNll(ltm, tokens, targets, latents),
          tokenNll(ltm, tokens, targets, latents, prefix)].map((t) => Array.from(t.dataSync()));
      });
      expect(fromPrefix).toEqual(direct);
    }
    expect(prefix.firstQueries?.shape).toEqual([2, length, 4]);
    disposePrefix(prefix);
    tf.dispose([tokens, targets]);
  });

  it('should throw ShapeError when the AR decoder is given latents', () => {
    expect(() => logitsOf(ar, baseTokens, z)).toThrow(ShapeError);
    expect(() => logitsOf(ar, baseTokens, z)).toThrow(/AR decoder.*got \[1, 2, 2, 4\]/);
  });

  it('should throw ShapeError naming expected and actual when the latent shape is wrong', () => {
    const wrongLayers = tf.zeros([1, 3, 2, 4]);
    const wrongDim = tf.zeros([1, 2, 2, 5]);
    const wrongBatch = tf.zeros([2, 2, 2, 4]);
    expect(() => logitsOf(ltm, baseTokens, wrongLayers)).toThrow(ShapeError);
    expect(() => logitsOf(ltm, baseTokens, wrongLayers))
      .toThrow('latents: expected shape [1, 2, K, 4], got [1, 3, 2, 4]');
    expect(() => logitsOf(ltm, baseTokens, wrongDim)).toThrow(/got \[1, 2, 2, 5\]/);
    expect(() => logitsOf(ltm, baseTokens, wrongBatch)).toThrow(/got \[2, 2, 2, 4\]/);
    expect(() => logitsOf(ltm, baseTokens, null))
      .toThrow(/expected shape \[1, 2, K, 4\], got \[\]/);
    tf.dispose([wrongLayers, wrongDim, wrongBatch]);
  });

  it('should throw ShapeError when tokens are not a [B, T] int32 tensor', () => {
    const floats = tf.zeros([1, 4]);
    expect(() => decoderLogits(ar, floats, null)).toThrow(/\[B, T\] int32, got \[1, 4\]/);
    floats.dispose();
  });
});

describe('decoder parameter count', () => {
  const base = {
    model: { layers: 2, width: 16, heads: 2, mlpHidden: 32, sequenceLength: 16, window: 8 },
    latents: { dim: 8 },
  };
  const countFor = (latents: object) => {
    const model = createLatentModel(resolveConfig({ ...base,
      latents: { ...base.latents, ...latents } }), 256);
    const count = decoderParameterCount(model.decoder);
    disposeDecoder(model.decoder);
    return count;
  };

  it('should be identical when latents.perLayer is 1, 4 or 16', () => {
    const counts = [1, 4, 16].map((perLayer) => countFor({ perLayer }));
    expect(counts[1]).toBe(counts[0]);
    expect(counts[2]).toBe(counts[0]);
  });

  it('should be smaller by exactly the cross-attention weights when latents are off', () => {
    const withLatents = countFor({ perLayer: 4 });
    const autoregressive = countFor({ enabled: false });
    // Per layer: a norm gain [D], query and output [D, D], key and value [Dz, D].
    const width = 16;
    const latentDim = 8;
    const cross = layers * (width + 2 * width * width + 2 * latentDim * width);
    expect(withLatents - autoregressive).toBe(cross);
    // Embedding, per block 2 gains + 4 [D, D] + 3 MLP matrices, and the final gain.
    const own = 256 * width + layers * (2 * width + 4 * width * width + 3 * width * 32) + width;
    expect(autoregressive).toBe(own);
  });
});

/** -log softmax(logits)[target] per row in double precision, with the max subtracted. */
function referenceNll(logits: number[][], targets: number[]): number[] {
  return logits.map((row, index) => {
    const top = Math.max(...row);
    const normaliser = Math.log(row.reduce((total, value) => total + Math.exp(value - top), 0));
    return -(row[targets[index]] - top - normaliser);
  });
}

const logitRows = (rows: number, vocab: number) => fc.array(
  fc.array(fc.float({ min: -20, max: 20, noNaN: true, noDefaultInfinity: true }),
    { minLength: vocab, maxLength: vocab }), { minLength: rows, maxLength: rows });

describe('targetNll', () => {
  it('should equal -log softmax at the target when logits are moderate', () => {
    fc.assert(fc.property(logitRows(3, 5), fc.array(fc.nat(4), { minLength: 3, maxLength: 3 }),
      (logits, targets) => {
        const actual = tf.tidy(() => Array.from(targetNll(tf.tensor2d(logits),
          tf.tensor1d(targets, 'int32')).dataSync()));
        referenceNll(logits, targets).forEach((expected, row) => {
          expect(Math.abs(actual[row] - expected)).toBeLessThanOrEqual(
            1e-5 * Math.max(1, expected));
        });
      }));
  });

  it('should stay finite and exact when logits are +-1e4', () => {
    const logits = [[1e4, -1e4, 0], [1e4, -1e4, 0], [1e4, 1e4, -1e4]];
    const targets = [0, 1, 2];
    const actual = tf.tidy(() => Array.from(targetNll(tf.tensor2d(logits),
      tf.tensor1d(targets, 'int32')).dataSync()));
    expect(actual.every(Number.isFinite)).toBe(true);
    expect(Math.abs(actual[0])).toBe(0);
    expect(actual[1]).toBe(2e4);
    expect(actual[2]).toBeCloseTo(2e4 + Math.LN2, 2);
  });

  it('should give the gradient of an independent log-softmax when weighted by dy', () => {
    fc.assert(fc.property(logitRows(4, 6), fc.array(fc.nat(5), { minLength: 4, maxLength: 4 }),
      (logits, targets) => {
        const [custom, independent] = tf.tidy(() => {
          const x = tf.tensor2d(logits);
          const target = tf.tensor1d(targets, 'int32');
          const dy = tf.tensor1d([1, -0.5, 2, 0.25]);
          const viaCustom = tf.grad((input: Tensor) =>
            targetNll(input as Tensor2D, target).mul(dy).sum())(x);
          const oneHot = tf.oneHot(target, 6);
          const viaGeneric = tf.grad((input: Tensor) => tf.logSoftmax(input).mul(oneHot)
            .sum(1).neg().mul(dy).sum())(x);
          return [Array.from(viaCustom.dataSync()), Array.from(viaGeneric.dataSync())];
        });
        custom.forEach((value, index) => {
          expect(Math.abs(value - independent[index])).toBeLessThanOrEqual(1e-5);
        });
      }), { numRuns: 40 });
  });

  it('should match central differences when one logit moves', () => {
    const logits = [[0.3, -1.2, 2.0, 0.7]];
    const gradient = tf.tidy(() => Array.from(tf.grad((input: Tensor) =>
      targetNll(input as Tensor2D, tf.tensor1d([2], 'int32')).sum())(tf.tensor2d(logits))
      .dataSync()));
    const epsilon = 1e-3;
    logits[0].forEach((_, column) => {
      const shifted = (delta: number) => referenceNll(
        [logits[0].map((value, index) => value + (index === column ? delta : 0))], [2])[0];
      const difference = (shifted(epsilon) - shifted(-epsilon)) / (2 * epsilon);
      expect(Math.abs(gradient[column] - difference)).toBeLessThan(1e-5);
    });
    // softmax minus one-hot: each row of the gradient sums to 0.
    expect(Math.abs(gradient.reduce((a, b) => a + b, 0))).toBeLessThan(1e-6);
  });
});
