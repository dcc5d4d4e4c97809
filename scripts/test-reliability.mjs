#!/usr/bin/env node
// `npm run test:reliability`: the reliability suite (tests/reliability, a jest project) against
// real `strapi start` processes and the real databases — shutdown, crash, database outage,
// hostile input, RBAC, scale-out, rate limiting. Each test file records its figures; this prints
// them as one table and exits non-zero if a test or a criterion failed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const artifacts = path.join(root, 'tests', 'artifacts');
const figuresFile = path.join(artifacts, 'reliability-figures.jsonl');
fs.mkdirSync(artifacts, { recursive: true });
fs.rmSync(figuresFile, { force: true });

// `npm run soak` (--soak) runs only the soak, which is too long for CI; the suite runs the rest.
const soak = process.argv.includes('--soak');
const jestArgs = soak
  ? ['tests/reliability/soak.test.ts']
  : ['--testPathIgnorePatterns', 'soak', ...process.argv.slice(2)];
const started = Date.now();
const run = spawnSync(
  'npx',
  ['jest', '--selectProjects', 'reliability', '--runInBand', ...jestArgs],
  { cwd: root, stdio: 'inherit', env: { ...process.env, RELIABILITY_FIGURES: figuresFile } }
);

const figures = fs.existsSync(figuresFile)
  ? fs
      .readFileSync(figuresFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
  : [];
const header = ['check', 'measure', 'value', 'goal', 'verdict'];
const cells = figures.map((f) => [
  f.check,
  f.measure,
  f.value,
  f.goal,
  f.pass === null ? '—' : f.pass ? 'pass' : 'FAIL',
]);
const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
const line = (c) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(' | ')} |`;
console.log('\nReliability figures\n');
console.log(
  [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join(
    '\n'
  )
);
const failedFigures = figures.filter((f) => f.pass === false).length;
const seconds = Math.round((Date.now() - started) / 1000);
console.log(
  `\n${figures.length} figures, ${failedFigures} failed criteria; jest ${run.status === 0 ? 'passed' : 'FAILED'}; ${seconds} s`
);
process.exit(run.status === 0 && failedFigures === 0 ? 0 : 1);
