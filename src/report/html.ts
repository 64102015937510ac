// The report page: one self-contained HTML file with inline SVG charts and tables, a policy
// that forbids every outside request, and no script.

export interface Table {
  caption?: string;
  header: string[];
  /** Cells as text; cells that look like numbers are right-aligned. */
  rows: string[][];
}

export interface Figure {
  name: string;
  title: string;
  caption: string;
  /** An SVG document whose ids are unique in the page. */
  svg: string;
}

export interface Section {
  id: string;
  heading: string;
  paragraphs?: string[];
  tables?: Table[];
  figures?: Figure[];
  /** Collapsed blocks of preformatted text, e.g. the resolved config. */
  details?: { summary: string; text: string }[];
}

export interface Page {
  title: string;
  intro: string[];
  sections: Section[];
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const looksNumeric = (cell: string) => /^[-+]?[\d.,]+(e[-+]?\d+)?%?$/i.test(cell);

function tableHtml(table: Table): string {
  const head = table.header.map((cell) => `<th>${escapeHtml(cell)}</th>`).join('');
  const body = table.rows.map((row) => '<tr>' + row.map((cell, column) => {
    const tag = column === 0 ? 'th scope="row"' : looksNumeric(cell) ? 'td class="n"' : 'td';
    return `<${tag}>${escapeHtml(cell)}</${tag.split(' ')[0]}>`;
  }).join('') + '</tr>').join('\n');
  const caption = table.caption === undefined ? ''
    : `<caption>${escapeHtml(table.caption)}</caption>`;
  return `<div class="scroll"><table>${caption}<thead><tr>${head}</tr></thead>\n`
    + `<tbody>\n${body}\n</tbody></table></div>`;
}

function figureHtml(figure: Figure): string {
  return `<figure class="plot" id="plot-${escapeHtml(figure.name)}" `
    + `data-plot="${escapeHtml(figure.name)}">\n${figure.svg}\n`
    + `<figcaption><strong>${escapeHtml(figure.title)}.</strong> `
    + `${escapeHtml(figure.caption)} <span class="file">(${escapeHtml(figure.name)}.svg)</span>`
    + '</figcaption></figure>';
}

function sectionHtml(section: Section): string {
  const parts = [`<h2>${escapeHtml(section.heading)}</h2>`];
  for (const text of section.paragraphs ?? []) parts.push(`<p>${escapeHtml(text)}</p>`);
  for (const figure of section.figures ?? []) parts.push(figureHtml(figure));
  for (const table of section.tables ?? []) parts.push(tableHtml(table));
  for (const block of section.details ?? []) {
    parts.push(`<details><summary>${escapeHtml(block.summary)}</summary>`
      + `<pre>${escapeHtml(block.text)}</pre></details>`);
  }
  return `<section id="${escapeHtml(section.id)}">\n${parts.join('\n')}\n</section>`;
}

const style = `
body { font: 15px/1.5 Helvetica, Arial, sans-serif; color: #222; margin: 0; background: #fafafa; }
main { max-width: 980px; margin: 0 auto; padding: 24px; background: white; }
h1 { font-size: 24px; margin: 0 0 8px; }
h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
figure.plot { margin: 16px 0; }
figure.plot svg { max-width: 100%; height: auto; display: block; }
figcaption { color: #444; font-size: 13px; max-width: 760px; }
.file { color: #888; }
.scroll { overflow-x: auto; margin: 12px 0; }
table { border-collapse: collapse; font-size: 13px; }
caption { text-align: left; font-weight: bold; padding: 4px 0; }
th, td { border-bottom: 1px solid #e4e4e4; padding: 3px 10px; text-align: left; }
thead th { border-bottom: 2px solid #bbb; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
pre { font-size: 12px; background: #f4f4f4; padding: 8px; overflow-x: auto; }
`;

/** The whole page as one HTML document. */
export function pageHtml(page: Page): string {
  const intro = page.intro.map((text) => `<p>${escapeHtml(text)}</p>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>${style}</style>
</head>
<body>
<main>
<h1>${escapeHtml(page.title)}</h1>
${intro}
${page.sections.map(sectionHtml).join('\n')}
</main>
</body>
</html>
`;
}
