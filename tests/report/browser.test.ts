// report.html in a real browser (headless Chromium): it loads without console errors or
// page errors, requests nothing but itself, and shows every chart at a visible size.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport, type ReportOutput } from '../../src/report/index.js';
import { makeReasonerRun, makeRun, makeSweep } from './fixtures.js';

const executable = '/usr/bin/chromium';
const available = fs.existsSync(executable);
if (!available) {
  console.warn(`browser test skipped: ${executable} is absent (install the Debian package `
    + 'chromium, as .ci/run does)');
}

let scratch: string;
let profile: string;
let browser: BrowserContext;
const reports: Record<string, ReportOutput> = {};

beforeAll(async () => {
  if (!available) return;
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ltm-browser-'));
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ltm-chromium-'));
  const makers = { run: makeRun, sweep: makeSweep, reasoner: makeReasonerRun };
  for (const [kind, make] of Object.entries(makers)) {
    const dir = path.join(scratch, kind);
    await make(dir);
    reports[kind] = await writeReport(dir);
  }
  // A persistent context is how Playwright takes a fresh --user-data-dir.
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: executable,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
      '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  for (const dir of [scratch, profile]) {
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  }
});

interface Visit {
  problems: string[];
  requests: string[];
  plots: { name: string; width: number; height: number; marks: number }[];
}

/** Opens a report and collects console errors, page errors, requests and each chart's size. */
async function visit(file: string): Promise<Visit> {
  const page = await browser.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      problems.push(`${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const plots = await page.$$eval('figure.plot', (figures) => figures.map((figure) => {
    const svg = figure.querySelector('svg')!;
    const box = svg.getBoundingClientRect();
    return { name: figure.getAttribute('data-plot')!, width: box.width, height: box.height,
      marks: svg.querySelectorAll('path, line, text').length };
  }));
  await page.close();
  return { problems, requests, plots };
}

describe.skipIf(!available)('report.html in headless Chromium', () => {
  it.each(['run', 'sweep', 'reasoner'])(
    'should show every chart without console errors when the %s report is opened',
    async (kind) => {
      const report = reports[kind];
      const seen = await visit(report.html);
      expect(seen.problems).toEqual([]);
      expect(seen.requests).toEqual([pathToFileURL(report.html).href]);
      expect(seen.plots.map((plot) => plot.name))
        .toEqual(report.plots.map((plot) => plot.name));
      expect(seen.plots.length).toBeGreaterThan(0);
      for (const plot of seen.plots) {
        expect(plot.width, plot.name).toBeGreaterThan(300);
        expect(plot.height, plot.name).toBeGreaterThan(150);
        expect(plot.marks, plot.name).toBeGreaterThan(20);
      }
    });
});
