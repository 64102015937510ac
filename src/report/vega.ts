// Rendering Vega-Lite charts to standalone SVG in Node: compiled to Vega, drawn by a headless
// Vega view. No browser, no canvas, no network: every chart carries its data inline.
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** The look shared by every chart of a report. */
export const chartTheme = {
  font: 'Helvetica, Arial, sans-serif',
  background: 'white',
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 11, labelLimit: 360 },
  title: { fontSize: 14, anchor: 'start' as const, offset: 10 },
  range: {
    category: ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2',
      '#7f7f7f', '#bcbd22', '#17becf', '#aec7e8', '#ff9896', '#98df8a', '#ffbb78'],
  },
};

/** Renders a Vega-Lite spec (data inline) to an SVG document string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const themed = { ...spec, config: { ...chartTheme, ...spec.config } } as TopLevelSpec;
  const view = new View(parse(compile(themed).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Gives every `id` in an SVG a prefix, and the references to it too, so several charts can
 * sit inline in one page without one chart's clip paths or gradients resolving to another's.
 */
export function prefixIds(svg: string, prefix: string): string {
  const ids = [...svg.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]);
  let result = svg;
  for (const id of new Set(ids)) {
    const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    result = result
      .replace(new RegExp(`(\\sid=")${escaped}"`, 'g'), `$1${prefix}-${id}"`)
      .replace(new RegExp(`url\\(#${escaped}\\)`, 'g'), `url(#${prefix}-${id})`)
      .replace(new RegExp(`(href=")#${escaped}"`, 'g'), `$1#${prefix}-${id}"`);
  }
  return result;
}
