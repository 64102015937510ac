// `writeReport`: reads a run, a folder of runs or a sweep, renders its charts to SVG files and
// writes report.html beside them, a page that needs nothing but itself.
import fs from 'node:fs';
import path from 'node:path';
import { analysisCharts } from './analysis-charts.js';
import { analysisTables } from './analysis-tables.js';
import type { Chart } from './chart-specs.js';
import { readReportSource, runsOf, type ReportSource, type RunRecord } from './folder.js';
import { pageHtml, type Figure, type Section } from './html.js';
import { reasonerCharts } from './reasoner-charts.js';
import { inferenceChart, reasonerTrainingChart, trainingChart } from './run-charts.js';
import { sweepCharts } from './sweep-charts.js';
import { heldOutTable, inferenceTable, reasonerTable, sweepTable } from './tables.js';
import { settingsTable } from './settings.js';
import { prefixIds, renderSvg } from './vega.js';

export const reportFile = 'report.html';

export interface ReportOutput {
  /** Path of report.html. */
  html: string;
  /** One SVG file per chart, in page order. */
  plots: { name: string; title: string; file: string }[];
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function reasonerChartsOf(runs: RunRecord[]): Chart[] {
  const scaled = runs.filter((run) => run.kind === 'reasoner' && run.reasonScaling !== null);
  return scaled.flatMap((run) => reasonerCharts(run).map((chart) => (scaled.length === 1
    ? chart : { ...chart, name: `${chart.name}-${slug(run.label)}`,
      title: `${chart.title} (${run.label})` })));
}

function analysisChartsOf(runs: RunRecord[]): Chart[] {
  const analysed = runs.filter((run) => Object.keys(run.analyses).length > 0);
  return analysed.flatMap((run) => analysisCharts(run).map((chart) => (analysed.length === 1
    ? chart : { ...chart, name: `${chart.name}-${slug(run.label)}`,
      title: `${chart.title} (${run.label})` })));
}

/** Every chart a source has data for, in page order. */
export function chartsOf(source: ReportSource): Chart[] {
  const runs = runsOf(source);
  const charts: (Chart | null)[] = [
    ...(source.kind === 'sweep' ? sweepCharts(source.plan, source.results) : []),
    trainingChart(runs),
    inferenceChart(runs),
    reasonerTrainingChart(runs),
    ...reasonerChartsOf(runs),
    ...analysisChartsOf(runs),
  ];
  return charts.filter((chart): chart is Chart => chart !== null);
}

function intro(source: ReportSource): string[] {
  const runs = runsOf(source);
  if (source.kind === 'sweep') {
    const paths = source.plan.grid.map((axis) => `${axis.path} (${axis.values.length})`);
    return [`A sweep of ${source.plan.cells.length} cells over ${paths.join(' × ')}; `
      + `${source.results.length} finished. Every cell trains from the same base config, `
      + 'with the same seed and data, into its own folder under cells/.'];
  }
  const what = runs.map((run) => `${run.label} (${run.kind === 'reasoner' ? 'reasoner'
    : run.latentsEnabled ? 'latent thought model' : 'AR baseline'})`);
  const meta = runs[0].meta;
  const started = [
    meta?.createdAt ? `Started ${String(meta.createdAt)}` : '',
    meta?.backend ? `on the ${String(meta.backend)} backend` : '',
  ].filter((part) => part !== '').join(' ');
  const lead = `${source.kind === 'run' ? 'Run' : 'Runs'}: ${what.join(', ')}.`;
  return [started === '' ? lead : `${lead} ${started}.`];
}

function figuresOf(charts: Chart[], svgs: Map<string, string>, section: string): Figure[] {
  return charts.filter((chart) => chart.section === section).map((chart) => ({
    name: chart.name, title: chart.title, caption: chart.caption,
    svg: prefixIds(svgs.get(chart.name)!, `plot-${chart.name}`),
  }));
}

function sections(source: ReportSource, charts: Chart[], svgs: Map<string, string>): Section[] {
  const runs = runsOf(source);
  const figures = (section: string) => figuresOf(charts, svgs, section);
  const heldOut = heldOutTable(runs);
  const list: Section[] = [
    { id: 'settings', heading: 'Settings', tables: [settingsTable(source)] },
  ];
  if (source.kind === 'sweep') {
    list.push({ id: 'sweep', heading: 'Sweep', figures: figures('sweep'),
      tables: [sweepTable(source.plan, source.results)] });
  } else if (heldOut !== null) {
    list.push({ id: 'held-out', heading: 'Held-out numbers', tables: [heldOut] });
  }
  list.push({ id: 'training', heading: 'Training', figures: figures('training') });
  list.push({ id: 'inference', heading: 'Inference-time scaling', figures: figures('inference'),
    tables: runs.flatMap((run) => inferenceTable(run) ?? []) });
  list.push({ id: 'reasoner', heading: 'Reasoner: width and depth', figures: figures('reasoner'),
    tables: runs.flatMap((run) => reasonerTables(run)) });
  list.push({ id: 'analysis', heading: 'Why latents help: analyses', figures: figures('analysis'),
    tables: runs.flatMap((run) => analysisTables(run)) });
  list.push({ id: 'config', heading: 'Configs', details: configDetails(source) });
  return list.filter((section) => (section.figures?.length ?? 0) > 0
    || (section.tables?.length ?? 0) > 0 || (section.details?.length ?? 0) > 0);
}

function reasonerTables(run: RunRecord) {
  const scaling = run.reasonScaling;
  if (scaling === null) return [];
  const tables = [];
  if (scaling.width.length > 0) {
    tables.push(reasonerTable(`${run.label}: width`, 'samples', scaling.width));
  }
  if (scaling.depth.length > 0) {
    tables.push(reasonerTable(`${run.label}: depth`, 'rounds', scaling.depth));
  }
  return tables;
}

function configDetails(source: ReportSource): { summary: string; text: string }[] {
  if (source.kind === 'sweep') {
    const { base, grid } = source.plan;
    return [{ summary: 'sweep.json: base config and grid',
      text: JSON.stringify({ grid, base }, null, 2) }];
  }
  return runsOf(source).map((run) => ({
    summary: `${run.label}: config.json`, text: JSON.stringify(run.config, null, 2),
  }));
}

/**
 * Writes `<dir>/report.html` and one `<dir>/<chart>.svg` per chart for a run folder, a folder
 * of run folders (such as the main job's) or a sweep folder.
 */
export async function writeReport(dir: string): Promise<ReportOutput> {
  const source = readReportSource(dir);
  const charts = chartsOf(source);
  const svgs = new Map<string, string>();
  for (const chart of charts) svgs.set(chart.name, await renderSvg(chart.spec));

  const plots = charts.map((chart) => {
    const file = path.join(dir, `${chart.name}.svg`);
    fs.writeFileSync(file, svgs.get(chart.name)!);
    return { name: chart.name, title: chart.title, file };
  });
  const html = pageHtml({
    title: `Report: ${path.basename(path.resolve(dir))}`,
    intro: intro(source),
    sections: sections(source, charts, svgs),
  });
  const target = path.join(dir, reportFile);
  fs.writeFileSync(`${target}.partial-${process.pid}`, html);
  fs.renameSync(`${target}.partial-${process.pid}`, target);
  return { html: target, plots };
}
