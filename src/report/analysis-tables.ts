// Tables of the analyses saved in a run folder: dependence by pair, the spectrum's agreement
// with the hierarchy level by level, forking tokens, and sample efficiency.
import type { RunRecord } from './folder.js';
import type { Table } from './html.js';
import { formatNumber } from './tables.js';

type Json = Record<string, unknown>;
const list = (value: unknown) => (Array.isArray(value) ? value as Json[] : []);

function dependenceTable(label: string, report: Json): Table {
  const hierarchy = (report.hierarchy ?? {}) as Json;
  const rows = [
    ...list(report.tokens).map((e) => [`tokens at distance ${String(e.distance)}`, e]),
    ...list(report.latentSameLevelByLayer).map((e) => [`latent slots of layer ${String(e.layer)}`,
      e]),
    ...list(report.latentCrossLevelPairs).map((e) => [`latent layers ${String(e.layers)}`, e]),
    ...list(hierarchy.sameLevel).map((e) => [`true siblings at level ${String(e.level)}`, e]),
    ...list(hierarchy.parentChild).map((e) => [`true level ${String(e.level)} and parent`, e]),
    ...list(hierarchy.latentsVersusLevel).map((e) => [`learned latents and true level `
      + String(e.level), e]),
  ] as [string, Json][];
  return {
    caption: `${label}: dependence (${String(report.estimator)}), ${String(report.sequences)} `
      + 'windows',
    header: ['pair', 'dependence', 'raw', 'shuffled baseline', 'pairs'],
    rows: rows.map(([name, e]) => [name, formatNumber(e.value), formatNumber(e.raw),
      formatNumber(e.baseline), formatNumber(e.pairs)]),
  };
}

function spectrumTables(label: string, report: Json): Table[] {
  const splits: Table = {
    caption: `${label}: leading co-occurrence eigenvectors and the vocabulary split of each`,
    header: ['eigenvector', 'eigenvalue', 'sizes', 'positive end', 'negative end'],
    rows: list(report.splits).map((s) => [String(s.index), formatNumber(s.eigenvalue),
      (s.sizes as number[]).join('/'), JSON.stringify((s.positive as string[]).join(' ')),
      JSON.stringify((s.negative as string[]).join(' '))]),
  };
  const levels = list(report.adjustedRandByLevel);
  if (levels.length === 0) return [splits];
  return [splits, {
    caption: `${label}: agreement of the splits with each level (adjusted Rand), coarse to `
      + `fine: ${report.coarseToFine ? 'yes' : 'no'}`,
    header: ['level', 'classes', 'adjusted Rand', 'eigenvectors used', 'best split',
      'its adjusted Rand', 'chance (95th percentile)'],
    rows: levels.map((l) => [String(l.level), formatNumber(l.classes), formatNumber(l.value),
      formatNumber(l.eigenvectorsUsed), formatNumber((l.bestSplit as Json).index),
      formatNumber((l.bestSplit as Json).value), formatNumber(l.chance95)]),
  }];
}

function entropyTables(label: string, report: Json): Table[] {
  const summary: Table = {
    caption: `${label}: predictive entropy per token (latents ${String(report.latents)})`,
    header: ['measure', 'value'],
    rows: [['tokens', formatNumber(report.tokens)],
      ['mean entropy (bits)', formatNumber(report.meanEntropyBits)],
      ['mean NLL (bits)', formatNumber(report.meanNllBits)],
      ['80th percentile of entropy (bits)', formatNumber(report.threshold)],
      ['share of tokens above it', formatNumber(report.topQuintileShare)],
      ['share of the loss they carry', formatNumber(report.topQuintileLossShare)]],
  };
  const examples: Table = {
    caption: `${label}: the highest-entropy tokens in context`,
    header: ['entropy (bits)', 'NLL (bits)', 'before', 'token', 'after'],
    rows: list(report.examples).map((e) => [formatNumber(e.entropyBits), formatNumber(e.nllBits),
      JSON.stringify(e.before), JSON.stringify(e.token), JSON.stringify(e.after)]),
  };
  return [summary, examples];
}

function efficiencyTable(label: string, report: Json): Table {
  const rows = list(report.rows);
  const cell = (depth: unknown, size: unknown, model: string) => rows.find((r) =>
    r.depth === depth && r.trainSequences === size && r.model === model) ?? {};
  const best = (depth: unknown) => list(report.sourceEntropy).find((e) => e.depth === depth)?.bits;
  const keys = rows.filter((r) => r.model === 'ltm');
  return {
    caption: `${label}: held-out bits per token after ${String(report.steps)} steps`,
    header: ['depth', 'train sequences', 'LTM bound', 'LTM NLL', 'LTM suffix NLL', 'AR NLL',
      'AR suffix NLL', 'source entropy'],
    rows: keys.map((k) => {
      const ar = cell(k.depth, k.trainSequences, 'ar');
      return [String(k.depth), formatNumber(k.trainSequences), formatNumber(k.bound),
        formatNumber(k.nll), formatNumber(k.suffixNll), formatNumber(ar.nll),
        formatNumber(ar.suffixNll), formatNumber(best(k.depth))];
    }),
  };
}

/** Every table of the analyses saved in one run folder. */
export function analysisTables(run: RunRecord): Table[] {
  const { dependence, spectrum, entropy, sampleEfficiency } = run.analyses;
  return [
    ...(dependence === undefined ? [] : [dependenceTable(run.label, dependence)]),
    ...(spectrum === undefined ? [] : spectrumTables(run.label, spectrum)),
    ...(entropy === undefined ? [] : entropyTables(run.label, entropy)),
    ...(sampleEfficiency === undefined ? [] : [efficiencyTable(run.label, sampleEfficiency)]),
  ];
}
