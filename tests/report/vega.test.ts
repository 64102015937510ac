// Charts rendered to SVG in Node: the chart's text and marks are in the file, nothing points
// outside it, and ids are made unique so several charts can share one page.
import { describe, expect, it } from 'vitest';
import type { TopLevelSpec } from 'vega-lite';
import { lineChart } from '../../src/report/chart-specs.js';
import { prefixIds, renderSvg } from '../../src/report/vega.js';

/** A chart whose clipped line and colour gradient make Vega write ids and url() references. */
const clipped = {
  data: { values: [{ x: 1, y: 1, c: 1 }, { x: 2, y: 3, c: 5 }] },
  mark: { type: 'line', clip: true },
  encoding: {
    x: { field: 'x', type: 'quantitative', scale: { domain: [1, 1.5] } },
    y: { field: 'y', type: 'quantitative' },
    color: { field: 'c', type: 'quantitative' },
  },
} as TopLevelSpec;

const idsOf = (svg: string) => [...svg.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]);
const urlsOf = (svg: string) => [...svg.matchAll(/url\(#([^)]+)\)/g)].map((match) => match[1]);

describe('renderSvg', () => {
  it('should draw the title, axis titles and series names when given a line chart', async () => {
    const spec = lineChart([
      { x: 1, y: 3, series: 'bound' }, { x: 2, y: 2, series: 'bound' },
      { x: 1, y: 1, series: 'KL' }, { x: 2, y: 0.5, series: 'KL' },
    ], {
      title: 'Known title', x: { title: 'inner steps' }, y: { title: 'bits per byte' },
      seriesTitle: 'metric', seriesOrder: ['bound', 'KL', 'absent'],
    });
    const svg = await renderSvg(spec);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    for (const text of ['Known title', 'inner steps', 'bits per byte', 'metric', 'bound', 'KL']) {
      expect(svg).toContain(`>${text}</text>`);
    }
    // A series listed in the order but absent from the data gets no legend entry.
    expect(svg).not.toContain('>absent</text>');
    expect(svg.match(/role-mark marks-line|class="mark-line/g)?.length).toBeGreaterThan(0);
    // The only address is the SVG namespace (and xlink's): nothing is fetched.
    expect(svg.replace(/xmlns(:xlink)?="[^"]*"/g, '')).not.toMatch(/https?:|href="[^#]/);
  });
});

describe('prefixIds', () => {
  it('should prefix every id and every reference to it when the chart has clip paths', async () => {
    const svg = await renderSvg(clipped);
    expect(idsOf(svg).length).toBeGreaterThanOrEqual(2);
    const prefixed = prefixIds(svg, 'plot-a');
    expect(idsOf(prefixed)).toEqual(idsOf(svg).map((id) => `plot-a-${id}`));
    expect(urlsOf(prefixed)).toEqual(urlsOf(svg).map((id) => `plot-a-${id}`));
    expect(new Set(urlsOf(prefixed)).size).toBeGreaterThan(0);
    for (const target of urlsOf(prefixed)) expect(idsOf(prefixed)).toContain(target);
  });

  it('should rename ids, url() and href references alike when written by hand', () => {
    const svg = '<svg><defs><clipPath id="c.1"/></defs><g clip-path="url(#c.1)"/>'
      + '<use href="#c.1"/><g id="c.10"/></svg>';
    expect(prefixIds(svg, 'p')).toBe('<svg><defs><clipPath id="p-c.1"/></defs>'
      + '<g clip-path="url(#p-c.1)"/><use href="#p-c.1"/><g id="p-c.10"/></svg>');
  });

  it('should leave an svg without ids unchanged', () => {
    expect(prefixIds('<svg><g class="x"/></svg>', 'p')).toBe('<svg><g class="x"/></svg>');
  });
});
