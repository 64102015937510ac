// Training progress for the terminal: a progress bar on stderr (when it is a terminal), one
// fixed-format line per log interval on stdout, and the damaged checkpoints a resume passed over.
import cliProgress from 'cli-progress';
import type { ResumeReport } from '../train/resume.js';
import type { MetricRecord, TrainEvent } from '../train/trainer.js';
import { duration, fixed } from './format.js';

/**
 * What a resume that passed over damaged checkpoints prints: each problem, then the one it
 * goes on from. Nothing when the checkpoint latest.json names verified.
 */
export function resumeLines(label: string, report: ResumeReport): string[] {
  if (report.damaged.length === 0) return [];
  return [
    `${label}: cannot resume from the newest checkpoint:`,
    ...report.damaged.map((entry) => `${label}:   ${entry.problem}`),
    `${label}: resuming from ${report.checkpoint} (step ${report.step}) instead, the newest `
      + 'that verifies; damaged checkpoints stay until the run saves their steps again',
  ];
}

/** The fixed-format line printed at every log interval. */
export function metricLine(record: MetricRecord, steps: number, startStep: number,
  unit = 'byte'): string {
  const done = record.step - startStep;
  const perStep = record.elapsedSeconds / Math.max(done, 1);
  const left = (steps - record.step) * perStep;
  const trace = record.innerTrace === undefined ? ''
    : ` | inner ${record.innerTrace.map((value) => fixed(value, 3)).join(' ')}`;
  return `step ${String(record.step).padStart(6)}/${steps}`
    + ` | nll ${fixed(record.nllBitsPerByte)} kl ${fixed(record.klBitsPerByte, 4)}`
    + ` bound ${fixed(record.boundBitsPerByte)} bits/${unit}`
    + ` | ${fixed(perStep, 2)} s/step | left ${duration(left)}${trace}`;
}

/**
 * An event handler that draws the bar and prints metric lines with a prefix; `unit` is what
 * the per-byte numbers count.
 */
export function progressPrinter(label: string, out: (line: string) => void, unit = 'byte') {
  const useBar = process.stderr.isTTY === true;
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    format: `${label} {bar} {value}/{total} | nll {nll} kl {kl} bound {bound}`
      + ' | left {eta_formatted}',
    hideCursor: true,
    clearOnComplete: true,
  }, cliProgress.Presets.shades_classic);
  let steps = 0;
  let startStep = 0;
  const payload = { nll: '-', kl: '-', bound: '-' };
  return (event: TrainEvent) => {
    if (event.type === 'start') {
      steps = event.steps;
      startStep = event.step;
      out(`${label}: backend ${event.backend}, ${event.parameters} decoder parameters, `
        + `steps ${event.step}..${event.steps}`);
      if (useBar) bar.start(event.steps, event.step, payload);
    } else if (event.type === 'step' && useBar) {
      bar.update(event.step);
    } else if (event.type === 'log') {
      payload.nll = fixed(event.record.nllBitsPerByte);
      payload.kl = fixed(event.record.klBitsPerByte, 4);
      payload.bound = fixed(event.record.boundBitsPerByte);
      if (useBar) bar.update(event.record.step, payload);
      const line = `${label} ${metricLine(event.record, steps, startStep, unit)}`;
      if (useBar) bar.stop();
      out(line);
      if (useBar && event.record.step < steps) bar.start(steps, event.record.step, payload);
    } else if (event.type === 'resume') {
      resumeLines(label, event).forEach((line) => out(line));
    } else if (event.type === 'skip') {
      out(`${label}: skipped the batch of step ${event.step}: ${event.reason}`);
    } else if (event.type === 'checkpoint') {
      if (useBar) bar.stop();
    }
  };
}
