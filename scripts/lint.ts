// The project's own lint: lines at most 100 columns (comments included) and no unseeded
// randomness in src/. Prints each problem as file:line and exits 1 if there is any.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Every problem in the tracked TypeScript files, as `file:line: message`. */
export function lintProblems(): string[] {
  const files = execFileSync('git', ['ls-files', '*.ts', '*.mts', '*.js'], { encoding: 'utf8' })
    .split('\n').filter((file) => file !== '' && fs.existsSync(file));
  const problems: string[] = [];
  for (const file of files) {
    fs.readFileSync(file, 'utf8').split('\n').forEach((line, index) => {
      if (line.length > 100) problems.push(`${file}:${index + 1}: line of ${line.length} columns`);
      if (file.startsWith('src/') && line.includes('Math.random')) {
        problems.push(`${file}:${index + 1}: Math.random (use a seeded stream from src/random.ts)`);
      }
    });
  }
  return problems;
}

if (process.argv[1]?.endsWith('lint.ts')) {
  const problems = lintProblems();
  for (const problem of problems) console.log(problem);
  process.exitCode = problems.length > 0 ? 1 : 0;
}
