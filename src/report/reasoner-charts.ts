// Charts of a reasoner's answer scores as width (sampled trajectories) and depth (recursion
// rounds) grow, from reason-scaling.json, with the deterministic baseline as dashed lines.
import { lineChart, type Chart, type Point } from './chart-specs.js';
import type { RunRecord } from './folder.js';
import type { AnswerRates } from './reasoner-scaling.js';

const rates: [keyof AnswerRates, string][] = [
  ['coverage', 'coverage'],
  ['validRate', 'valid rate'],
  ['exactAccuracy', 'exact accuracy'],
  ['anyValid', 'puzzles with a valid answer'],
];

function ratePoints(points: (AnswerRates & Record<string, unknown>)[], axis: string): Point[] {
  return points.flatMap((point) => rates
    .filter(([field]) => typeof point[field] === 'number')
    .map(([field, name]) => ({ x: point[axis] as number, y: point[field] as number,
      series: name })));
}

function baselineRules(run: RunRecord): { y: number; series: string }[] {
  const baseline = run.reasonScaling?.deterministic;
  if (baseline === undefined) return [];
  return rates.filter(([field]) => typeof baseline[field] === 'number')
    .map(([field, name]) => ({ y: baseline[field] as number, series: name }));
}

const baselineNote = ' Dashed lines: the same network with its noise switched off (one answer '
  + 'per puzzle).';

/** Width and depth charts of one reasoner run; empty without reason-scaling.json. */
export function reasonerCharts(run: RunRecord): Chart[] {
  const scaling = run.reasonScaling;
  if (scaling === null) return [];
  const rules = baselineRules(run);
  const note = rules.length > 0 ? baselineNote : '';
  const y = { title: 'share', domain: [0, 1] as [number, number] };
  const seriesOrder = rates.map(([, name]) => name);
  const charts: Chart[] = [];
  if (scaling.width.length > 0) {
    const samples = scaling.width.map((point) => point.samples);
    charts.push({
      name: 'reasoner-width', title: 'Reasoner: scores vs sampled trajectories',
      caption: 'Each point samples S trajectories per puzzle from the prior. Coverage (distinct '
        + 'valid answers over the size of the solution set) should grow with S while the '
        + `valid rate stays level if the samples are diverse and correct.${note}`,
      section: 'reasoner',
      spec: lineChart(ratePoints(scaling.width, 'samples'), {
        title: 'Scores vs width (trajectories S)', y, seriesTitle: 'score', seriesOrder, rules,
        x: { title: 'trajectories per puzzle S', integer: true, scale: new Set(samples).size > 2
          ? 'log' : 'linear' },
      }),
    });
  }
  if (scaling.depth.length > 0) {
    charts.push({
      name: 'reasoner-depth', title: 'Reasoner: scores vs recursion rounds',
      caption: 'Each point runs R recursion rounds per trajectory. More rounds should raise '
        + `the valid rate and exact accuracy until they level off.${note}`,
      section: 'reasoner',
      spec: lineChart(ratePoints(scaling.depth, 'rounds'), {
        title: 'Scores vs depth (rounds R)', x: { title: 'recursion rounds R', integer: true }, y,
        seriesTitle: 'score', seriesOrder, rules,
      }),
    });
  }
  return charts;
}
