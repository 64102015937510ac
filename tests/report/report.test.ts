// Reports on a tiny run, the main job's pair of runs, a tiny sweep and a reasoner run: which
// charts each gets, the numbers the charts and tables carry, and the files written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import {
  chartsOf, readReportSource, readSweepResults, writeReport, type ReportOutput,
} from '../../src/report/index.js';
import type { Point } from '../../src/report/chart-specs.js';
import { makePair, makeReasonerRun, makeRun, makeSweep } from './fixtures.js';

let scratch: string;
const dirs = { run: '', pair: '', sweep: '', reasoner: '' };
const outputs: Record<string, ReportOutput> = {};

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ltm-report-'));
  for (const key of Object.keys(dirs) as (keyof typeof dirs)[]) {
    dirs[key] = path.join(scratch, key);
  }
  await makeRun(dirs.run);
  await makePair(dirs.pair);
  await makeSweep(dirs.sweep);
  makeReasonerRun(dirs.reasoner);
  for (const [key, dir] of Object.entries(dirs)) outputs[key] = await writeReport(dir);
});

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

const html = (key: string) => fs.readFileSync(outputs[key].html, 'utf8');
const names = (key: string) => outputs[key].plots.map((plot) => plot.name);

/** The plotted points of one chart of a folder. */
function pointsOf(dir: string, chart: string): Point[] {
  const found = chartsOf(readReportSource(dir)).find((candidate) => candidate.name === chart)!;
  return (found.spec as unknown as { data: { values: Point[] } }).data.values;
}

describe('writeReport', () => {
  it('should draw training curves and inference scaling when given a tiny run', () => {
    expect(names('run')).toEqual(['training-curves', 'inference-scaling']);
    const page = html('run');
    const evaluation = JSON.parse(fs.readFileSync(path.join(dirs.run, 'eval-valid.json'), 'utf8'));
    expect(page).toContain(`<td class="n">${evaluation.boundBitsPerByte.toFixed(3)}</td>`);
    // Steps 1, 2 and 4 logged, three metrics each.
    const training = pointsOf(dirs.run, 'training-curves');
    expect(training.map((point) => point.x)).toEqual([1, 1, 1, 2, 2, 2, 4, 4, 4]);
    const scaling = pointsOf(dirs.run, 'inference-scaling');
    expect([...new Set(scaling.map((point) => point.x))]).toEqual([0, 1, 2]);
    expect(new Set(scaling.map((point) => point.series))).toEqual(new Set([
      'NLL', 'KL', 'bound = NLL + KL', 'suffix NLL (z from prefix)']));
  });

  it('should write every chart as an svg file and inline it in report.html', () => {
    for (const key of Object.keys(dirs)) {
      const page = html(key);
      expect(page.startsWith('<!doctype html>')).toBe(true);
      for (const plot of outputs[key].plots) {
        expect(fs.readFileSync(plot.file, 'utf8').startsWith('<svg')).toBe(true);
        expect(page).toContain(`data-plot="${plot.name}"`);
      }
      expect(page.match(/<svg /g)).toHaveLength(outputs[key].plots.length);
      expect(page).not.toMatch(/<script|<link|src="|href="http/);
    }
  });

  it('should put the AR baseline beside the LTM when given the main job\'s folder', () => {
    expect(names('pair')).toEqual(['training-curves']);
    const groups = new Set(pointsOf(dirs.pair, 'training-curves').map((point) => point.group));
    expect(groups).toEqual(new Set(['LTM', 'AR baseline']));
    const ar = pointsOf(dirs.pair, 'training-curves')
      .filter((point) => point.group === 'AR baseline' && point.series === 'KL');
    expect(ar.map((point) => point.y)).toEqual([0, 0, 0]);
    expect(html('pair')).toContain('<th>LTM</th><th>AR baseline</th>');
  });

  it('should plot one line over latent size with flat decoder size when given a sweep', () => {
    expect(names('sweep')).toEqual(['sweep-bound', 'sweep-suffix-nll', 'sweep-parameters',
      'training-curves']);
    const results = readSweepResults(dirs.sweep);
    const bound = pointsOf(dirs.sweep, 'sweep-bound');
    expect(bound).toEqual(results.map((result) => ({
      x: result.latentFloatsPerSequence, y: result.boundBitsPerByte, series: 'all cells',
    })));
    expect(pointsOf(dirs.sweep, 'sweep-parameters').map((point) => point.y))
      .toEqual([7488, 7488]);
    const page = html('sweep');
    expect(page).toContain('<th scope="row">2</th><td class="n">2</td><td class="n">7488</td>'
      + '<td class="n">16</td>');
  });

  it('should show the reasoner section when the run is of kind reasoner', () => {
    expect(names('reasoner')).toEqual(['reasoner-training-curves', 'reasoner-width',
      'reasoner-depth']);
    const width = pointsOf(dirs.reasoner, 'reasoner-width');
    expect(width.filter((point) => point.series === 'coverage').map((point) => point.y))
      .toEqual([0.25, 0.5, 0.75]);
    const page = html('reasoner');
    expect(page).toContain('<th>rounds</th><th>coverage</th><th>validRate</th>'
      + '<th>exactAccuracy</th><th>entropyBits</th>');
    expect(page).toContain('reasoner.lowSteps');
    expect(page).not.toContain('id="held-out"');
  });

  it('should throw a DataError naming the folder when it holds no run', () => {
    const empty = fs.mkdtempSync(path.join(scratch, 'empty-'));
    expect(() => readReportSource(empty)).toThrow(DataError);
    expect(() => readReportSource(path.join(scratch, 'missing'))).toThrow(/no such folder/);
  });
});
