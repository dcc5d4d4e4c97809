// What every benchmark script needs around its measurements: integer settings from the
// environment, progress lines on stderr, the machine and the commit measured.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { ROOT } from './paths.mjs';

/** An integer setting from the environment, or `fallback`; throws below `min`. */
export function intFromEnv(name, fallback, min = 1) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be an integer ≥ ${min}`);
  return value;
}

/**
 * `progress(message)` writing `[label   12s] message` to stderr, timed from now;
 * `progress.seconds()` is the whole seconds since.
 */
export function createProgress(label) {
  const started = Date.now();
  const progress = (message) => {
    const elapsed = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
    process.stderr.write(`[${label} ${elapsed}s] ${message}\n`);
  };
  progress.seconds = () => Math.round((Date.now() - started) / 1000);
  return progress;
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map((x) => Number(x.toFixed(2))),
  };
}

/**
 * The commit measured, and whether the working tree had uncommitted changes under `paths` (it is
 * what runs).
 */
export function gitState(paths) {
  const git = (...args) =>
    spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ?? '';
  return {
    commit: git('rev-parse', '--short', 'HEAD'),
    dirty: git('status', '--porcelain', '--', ...paths) !== '',
  };
}
