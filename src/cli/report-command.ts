// `ltm report DIR`: writes report.html and one SVG per chart into a run, main-job or sweep
// folder. Reads only the folder's JSON files; no model is loaded.
import { writeReport } from '../report/report.js';
import { lineWriter, terminalOutput, type CliOutput } from './output.js';

export async function reportCommand(dir: string,
  output: CliOutput = terminalOutput): Promise<number> {
  const { html, plots } = await writeReport(dir);
  const out = lineWriter(output);
  out(`report: ${html}`);
  for (const plot of plots) out(`  ${plot.file}: ${plot.title}`);
  if (plots.length === 0) out('  (no charts: the folder has no metrics or results yet)');
  return 0;
}
