// Formatting helpers for the terminal: durations, fixed-width numbers and aligned tables.

export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  if (minutes === 0) return `${whole}s`;
  const hours = Math.floor(minutes / 60);
  if (hours === 0) return `${minutes}m${String(whole % 60).padStart(2, '0')}s`;
  return `${hours}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** `text` as one word a POSIX shell reads back unchanged: quoted only when it needs to be. */
export function shellWord(text: string): string {
  if (/^[\w@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/** A count with its noun, plural unless the count is 1: `1 solution`, `4 solutions`. */
export function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function fixed(value: number | undefined, digits = 3): string {
  if (value === undefined) return '-';
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

/** Rows of cells as an aligned plain-text table; the first row is the header. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: string[]) => row.map((cell, column) => column === 0
    ? cell.padEnd(widths[column]) : cell.padStart(widths[column])).join('  ');
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(rows[0]), rule, ...rows.slice(1).map(line)].join('\n');
}
