// Charts of the analyses saved in a run folder by `ltm analyze ... --save`: dependence against
// token distance, the co-occurrence spectrum, predictive entropy, and sample efficiency.
import { lineChart, type Chart, type Point } from './chart-specs.js';
import type { RunRecord } from './folder.js';

type Json = Record<string, unknown>;
const list = (value: unknown) => (Array.isArray(value) ? value as Json[] : []);
const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value)
  ? value : null);

function rule(y: unknown, series: string) {
  const value = num(y);
  return value === null ? [] : [{ y: value, series }];
}

function dependenceChart(report: Json): Chart | null {
  const tokenSeries = 'tokens at this distance';
  const trueSeries = 'true siblings, 2^level tokens apart';
  const points: Point[] = list(report.tokens).map((entry) => ({ x: entry.distance as number,
    y: entry.value as number, series: tokenSeries }));
  if (points.length === 0) return null;
  // Siblings at level l are nodes spanning 2^l tokens each, so they start 2^l tokens apart.
  const hierarchy = (report.hierarchy ?? {}) as Json;
  points.push(...list(hierarchy.sameLevel).map((entry) => ({ x: 2 ** (entry.level as number),
    y: entry.value as number, series: trueSeries })));
  const rules = [
    ...rule(report.latentSameLevel, 'learned latents, same layer'),
    ...rule(report.latentCrossLevel, 'learned latents, across layers'),
  ];
  const series = [tokenSeries, trueSeries, ...rules.map((entry) => entry.series)];
  return {
    name: 'dependence', title: 'Dependence: latents and tokens', section: 'analysis',
    caption: 'Chance-adjusted mean squared canonical correlation (Cramér\'s V squared for '
      + 'tokens and true symbols): 1 for copies, about 0 for independent pairs. Tokens at each '
      + 'distance; on the hierarchy corpus, true sibling symbols at the distance their '
      + 'subtrees start apart; dashed lines: learned latent pairs (ltm analyze dependence '
      + '--save).',
    spec: lineChart(points, { title: 'Dependence against token distance',
      x: { title: 'token distance', scale: 'log' }, y: { title: 'dependence', zero: true },
      seriesTitle: 'pair', seriesOrder: series, rules }),
  };
}

function spectrumChart(report: Json): Chart | null {
  const values = Array.isArray(report.eigenvalues) ? report.eigenvalues as number[] : [];
  if (values.length === 0) return null;
  return {
    name: 'spectrum', title: 'Co-occurrence spectrum', section: 'analysis',
    caption: 'Leading eigenvalues of the positive-PMI co-occurrence matrix of tokens within '
      + `${String(report.window)} positions (ltm analyze spectrum --save).`,
    spec: lineChart(values.map((y, x) => ({ x, y, series: 'eigenvalue' })), {
      title: 'Leading eigenvalues', x: { title: 'eigenvector', integer: true },
      y: { title: 'eigenvalue' }, seriesTitle: 'value', seriesOrder: ['eigenvalue'] }),
  };
}

function entropyCharts(report: Json): Chart[] {
  const bins = list(report.histogram).map((bin) => ({
    x: ((bin.fromBits as number) + (bin.toBits as number)) / 2, y: bin.tokens as number,
    series: 'tokens' }));
  const positions = (Array.isArray(report.byPosition) ? report.byPosition as number[] : [])
    .map((y, index) => ({ x: index + 1, y, series: 'mean entropy' }));
  const charts: Chart[] = [];
  if (bins.length > 0) {
    charts.push({ name: 'entropy-histogram', title: 'Predictive entropy', section: 'analysis',
      caption: 'Tokens per bin of the decoder\'s predictive entropy (bits) on held-out text; '
        + `the 80th percentile is ${num(report.threshold)?.toFixed(3) ?? '-'} bits `
        + '(ltm analyze entropy --save).',
      spec: lineChart(bins, { title: 'Distribution of predictive entropy',
        x: { title: 'entropy (bits)' }, y: { title: 'tokens', zero: true },
        seriesTitle: 'count', seriesOrder: ['tokens'] }) });
  }
  if (positions.length > 0) {
    charts.push({ name: 'entropy-by-position', title: 'Entropy by position',
      section: 'analysis', caption: 'Mean predictive entropy at each position of a window.',
      spec: lineChart(positions, { title: 'Mean predictive entropy by position',
        x: { title: 'position in the window', integer: true }, y: { title: 'bits', zero: true },
        seriesTitle: 'value', seriesOrder: ['mean entropy'] }) });
  }
  return charts;
}

function efficiencyChart(report: Json): Chart | null {
  const rows = list(report.rows);
  if (rows.length === 0) return null;
  const points: Point[] = rows.flatMap((row) => {
    const group = `depth ${String(row.depth)}`;
    const x = row.trainSequences as number;
    return row.model === 'ltm'
      ? [{ x, y: row.bound as number, series: 'LTM bound', group },
        { x, y: row.suffixNll as number, series: 'LTM suffix NLL', group }]
      : [{ x, y: row.nll as number, series: 'AR NLL', group },
        { x, y: row.suffixNll as number, series: 'AR suffix NLL', group }];
  });
  const rules = list(report.sourceEntropy).map((entry) => ({ y: entry.bits as number,
    series: 'source entropy' }));
  return {
    name: 'sample-efficiency', title: 'Sample efficiency', section: 'analysis',
    caption: 'Held-out bits per token against the number of training sequences, LTM and AR '
      + 'baseline, one dash pattern per depth; dashed rules: the exact source entropy '
      + '(ltm analyze sample-efficiency --save).',
    spec: lineChart(points, { title: 'Held-out NLL against training-set size',
      x: { title: 'training sequences', scale: 'log' }, y: { title: 'bits per token' },
      seriesTitle: 'model', groupTitle: 'depth', rules,
      seriesOrder: ['LTM bound', 'LTM suffix NLL', 'AR NLL', 'AR suffix NLL', 'source entropy'] }),
  };
}

/** Every chart of the analyses saved in one run folder. */
export function analysisCharts(run: RunRecord): Chart[] {
  const { dependence, spectrum, entropy, sampleEfficiency } = run.analyses;
  return [
    dependence === undefined ? null : dependenceChart(dependence),
    spectrum === undefined ? null : spectrumChart(spectrum),
    ...(entropy === undefined ? [] : entropyCharts(entropy)),
    sampleEfficiency === undefined ? null : efficiencyChart(sampleEfficiency),
  ].filter((chart): chart is Chart => chart !== null);
}
