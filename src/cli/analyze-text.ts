// The plain-text tables the `ltm analyze` commands print without --json.
import type { DependenceReport } from '../analyze/dependence.js';
import type { EntropyReport } from '../analyze/entropy.js';
import type { EfficiencyEvent, SampleEfficiencyReport } from '../analyze/sample-efficiency.js';
import type { SpectrumReport } from '../analyze/run-spectrum.js';
import { fixed, table } from './format.js';

const maybe = (value: number | null | undefined) => (value == null ? '-' : fixed(value));

export function dependenceText(report: DependenceReport): string {
  const rows = [['pair', 'dependence', 'raw', 'shuffled baseline', 'pairs']];
  for (const entry of report.tokens) {
    rows.push([`tokens at distance ${entry.distance}`, fixed(entry.value), fixed(entry.raw),
      fixed(entry.baseline), String(entry.pairs)]);
  }
  for (const layer of report.latentSameLevelByLayer) {
    rows.push([`latent slots of layer ${layer.layer}`, fixed(layer.value), '-', '-',
      String(layer.pairs[0]?.pairs ?? '-')]);
  }
  for (const pair of report.latentCrossLevelPairs) {
    rows.push([`latent layers ${pair.layers.join(' and ')}`, fixed(pair.value), fixed(pair.raw),
      fixed(pair.baseline), String(pair.pairs)]);
  }
  for (const entry of report.hierarchy?.sameLevel ?? []) {
    rows.push([`true siblings at level ${entry.level}`, fixed(entry.value), fixed(entry.raw),
      fixed(entry.baseline), String(entry.pairs)]);
  }
  for (const entry of report.hierarchy?.parentChild ?? []) {
    rows.push([`true level ${entry.level} and its parent`, fixed(entry.value), fixed(entry.raw),
      fixed(entry.baseline), String(entry.pairs)]);
  }
  for (const entry of report.hierarchy?.latentsVersusLevel ?? []) {
    rows.push([`learned latents and true level ${entry.level}`, fixed(entry.value), '-', '-',
      String(report.sequences)]);
  }
  return [`${report.sequences} windows; estimator: ${report.estimator}`, table(rows),
    `latent same level ${maybe(report.latentSameLevel)}, cross level `
      + `${maybe(report.latentCrossLevel)}, tokens at distance 1 ${maybe(report.tokenDistance1)}`]
    .join('\n');
}

export function spectrumText(report: SpectrumReport): string {
  const rows = [['eigenvector', 'eigenvalue', 'sizes', 'positive end', 'negative end',
    'positive side', 'negative side']];
  const kinds = (counts: Record<string, number>) => Object.entries(counts)
    .sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${n} ${kind}`).join(', ');
  for (const split of report.splits) {
    rows.push([String(split.index), fixed(split.eigenvalue), split.sizes.join('/'),
      JSON.stringify(split.positive.slice(0, 5).join('')),
      JSON.stringify(split.negative.slice(0, 5).join('')), kinds(split.kinds.positive),
      kinds(split.kinds.negative)]);
  }
  const lines = [`${report.vocabularyKept} tokens kept from ${report.sequences} windows, pairs `
    + `within ${report.window}`, table(rows)];
  if (report.adjustedRandByLevel !== undefined) {
    const levels = [['level', 'classes', 'adjusted Rand (sign patterns)', 'eigenvectors',
      'best single split', 'its adjusted Rand', 'chance (95th percentile)']];
    for (const level of report.adjustedRandByLevel) {
      levels.push([String(level.level), String(level.classes), fixed(level.value),
        String(level.eigenvectorsUsed), String(level.bestSplit.index),
        fixed(level.bestSplit.value), fixed(level.chance95)]);
    }
    lines.push(table(levels), `coarse to fine: ${report.coarseToFine ? 'yes' : 'no'}`);
  }
  return lines.join('\n');
}

export function entropyText(report: EntropyReport): string {
  const rows = [['quantile', 'entropy (bits)'],
    ...report.quantiles.map(({ q, bits }) => [String(q), fixed(bits)])];
  const examples = report.examples.slice(0, 6).map((example) => `  ${fixed(example.entropyBits)}`
    + ` bits: ${JSON.stringify(example.before)} [${JSON.stringify(example.token)}] `
    + JSON.stringify(example.after));
  return [`${report.tokens} tokens, latents ${report.latents}; mean entropy `
    + `${fixed(report.meanEntropyBits)} bits, mean NLL ${fixed(report.meanNllBits)} bits`,
  table(rows),
  `above the 80th percentile (${fixed(report.threshold)} bits): `
    + `${fixed(100 * report.topQuintileShare, 1)}% of tokens carry `
    + `${fixed(100 * report.topQuintileLossShare, 1)}% of the loss`,
  'highest-entropy tokens in context:', ...examples].join('\n');
}

export function efficiencyLine(event: EfficiencyEvent): string {
  const { row } = event;
  return `cell ${event.index}/${event.total}: depth ${row.depth}, ${row.trainSequences} `
    + `sequences, ${row.model}: NLL ${fixed(row.nll)} bound ${fixed(row.bound)} bits/token `
    + `(${fixed(row.wallSeconds, 0)} s)`;
}

export function efficiencyText(report: SampleEfficiencyReport): string {
  const rows = [['depth', 'train sequences', 'LTM NLL', 'LTM KL', 'LTM bound', 'LTM suffix',
    'AR NLL', 'AR suffix', 'source entropy']];
  for (const depth of report.depths) {
    const best = report.sourceEntropy.find((entry) => entry.depth === depth)!.bits;
    for (const size of report.sizes) {
      const find = (model: string) => report.rows.find((row) => row.depth === depth
        && row.trainSequences === size && row.model === model)!;
      const [ltm, ar] = [find('ltm'), find('ar')];
      rows.push([String(depth), String(size), fixed(ltm.nll), fixed(ltm.kl), fixed(ltm.bound),
        fixed(ltm.suffixNll), fixed(ar.nll), fixed(ar.suffixNll), fixed(best)]);
    }
  }
  return [`held-out bits per token after ${report.steps} steps`, table(rows)].join('\n');
}
