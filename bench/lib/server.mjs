// Starts and stops the test app (tests/app) as `strapi start` servers pinned to CPU 0, and makes
// sure none is left running when the benchmark ends, fails or is interrupted.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { allowedCpus } from './cpu.mjs';
import { APP_DIR, RESULTS_DIR, ROOT } from './paths.mjs';
import { shortMessage } from './short-message.mjs';

const STRAPI_BIN = path.join(ROOT, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js');
const PID_FILE = path.join(RESULTS_DIR, 'servers.pid');
const PROBE = path.join(ROOT, 'bench', 'lib', 'server-probe.cjs');
export const SERVER_CPU = 0;
/** BENCH_PORT (1400): the first of the 100 ports the benchmark may use. */
export const BASE_PORT = Number(process.env.BENCH_PORT || 1400);
export const ALLOWED_PORTS = [BASE_PORT, BASE_PORT + 99];
/** Each server's probe (bench/lib/server-probe.cjs) listens this many ports above it. */
export const PROBE_OFFSET = 10;

const running = new Map(); // pid -> server

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function savePids() {
  fs.writeFileSync(PID_FILE, [...running.keys()].join('\n'));
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Kills servers a previous, crashed benchmark run left behind: only pids from its pid file whose
 * environment shows they are benchmark servers (their database is under bench/results).
 */
export function killLeftovers() {
  if (!fs.existsSync(PID_FILE)) return;
  for (const pid of fs.readFileSync(PID_FILE, 'utf8').split('\n').map(Number).filter(Boolean)) {
    try {
      const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (environ.includes(`DATABASE_FILENAME=${RESULTS_DIR}`)) process.kill(-pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  fs.rmSync(PID_FILE, { force: true });
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Boots one server: a fresh SQLite file under bench/results, seeded with the sample articles,
 * pinned to CPU 0 with taskset, trusting X-Forwarded-For (the traffic model's client addresses),
 * with the probe preloaded. `cpuProfileDir` adds `--cpu-prof` (written when the server stops).
 * Resolves when GET /_health answers 204.
 */
export async function startServer({
  name,
  port,
  pluginEnabled,
  pluginConfig,
  envPath,
  cpuProfileDir,
}) {
  if (port < ALLOWED_PORTS[0] || port > ALLOWED_PORTS[1]) {
    throw new Error(`port ${port} is outside ${ALLOWED_PORTS.join('-')}`);
  }
  if (!(await portIsFree(port))) {
    throw new Error(`port ${port} is already in use; stop whatever listens there first`);
  }
  const database = path.join(RESULTS_DIR, `${name}.db`);
  for (const suffix of ['', '-journal', '-wal', '-shm']) {
    fs.rmSync(database + suffix, { force: true });
  }
  const logFile = path.join(RESULTS_DIR, `${name}.log`);
  const log = fs.openSync(logFile, 'w');
  const env = {
    ...process.env,
    ENV_PATH: envPath,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DB_CLIENT: 'sqlite',
    DATABASE_FILENAME: database,
    SEED_CONTENT: 'true',
    LOG_LEVEL: 'warn',
    STRAPI_TELEMETRY_DISABLED: 'true',
    USAGE_ANALYTICS_ENABLED: String(pluginEnabled),
    USAGE_ANALYTICS_CONFIG: JSON.stringify(pluginConfig ?? {}),
    TRUST_PROXY: 'true',
    BENCH_PROBE_PORT: String(port + PROBE_OFFSET),
  };
  const nodeFlags = ['--require', PROBE];
  if (cpuProfileDir) nodeFlags.push('--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`);
  // taskset execs node, so the child's pid is the server's pid (what /proc/<pid>/stat reads).
  const child = spawn(
    'taskset',
    ['-c', String(SERVER_CPU), process.execPath, ...nodeFlags, STRAPI_BIN, 'start'],
    { cwd: APP_DIR, env, stdio: ['ignore', log, log], detached: true }
  );
  fs.closeSync(log);
  const server = {
    name,
    port,
    probePort: port + PROBE_OFFSET,
    pid: child.pid,
    child,
    logFile,
    pluginEnabled,
    exited: false,
  };
  running.set(child.pid, server);
  savePids();
  child.once('exit', () => {
    server.exited = true;
  });

  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exited) {
      running.delete(child.pid);
      throw new Error(`server ${name} exited during boot; its log:\n${tail(logFile)}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/_health`);
      if (res.status === 204) {
        server.cpus = allowedCpus(child.pid);
        return server;
      }
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  await stopServer(server);
  throw new Error(
    `server ${name} did not answer /_health within 120 s; its log:\n${tail(logFile)}`
  );
}

/** SIGTERM to the server's process group, SIGKILL after 20 s (a CPU profile takes a while). */
export async function stopServer(server) {
  if (!running.has(server.pid)) return;
  if (!server.exited) {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    const deadline = Date.now() + 20_000;
    while (!server.exited && isAlive(server.pid) && Date.now() < deadline) await sleep(100);
    if (!server.exited && isAlive(server.pid)) {
      try {
        process.kill(-server.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  running.delete(server.pid);
  savePids();
}

export async function stopAllServers() {
  await Promise.all([...running.values()].map(stopServer));
}

/** Last-resort synchronous cleanup for process exit: kills every server still running. */
export function killAllServersNow() {
  for (const pid of running.keys()) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  running.clear();
  if (fs.existsSync(PID_FILE)) fs.rmSync(PID_FILE, { force: true });
}

const PLUGIN_PROBLEM = /\[usage-analytics\].*(write failed|could not be written|drop)/i;

/**
 * Starts watching a server's log for the plugin's write failures and dropped rows. The returned
 * function gives { lines, problems }: the short log lines since, and for a result row a
 * one-entry list naming them (empty when there were none).
 */
export function watchPluginLog(server) {
  const offset = fs.statSync(server.logFile).size;
  return () => {
    const text = fs.readFileSync(server.logFile).subarray(offset).toString('utf8');
    const lines = text
      .split('\n')
      .filter((line) => PLUGIN_PROBLEM.test(line))
      .map((line) => shortMessage(line));
    const log = path.relative(ROOT, server.logFile);
    return {
      lines,
      problems: lines.length
        ? [`plugin logged write failures (${lines.length} lines, see ${log})`]
        : [],
    };
  };
}

/**
 * The documentIds of the published articles, oldest first (the same order on every server, though
 * each server has its own ids).
 */
export async function articleIds(server) {
  const ids = [];
  for (let page = 1; ; page += 1) {
    const url =
      `http://127.0.0.1:${server.port}/api/articles?sort=id:asc&fields[0]=title&locale=en` +
      `&pagination[pageSize]=100&pagination[page]=${page}`;
    const res = await fetch(url);
    if (res.status !== 200) throw new Error(`GET /api/articles on ${server.name}: ${res.status}`);
    const body = await res.json();
    ids.push(...body.data.map((article) => article.documentId));
    if (page >= (body.meta?.pagination?.pageCount ?? 1)) return ids;
  }
}

/** The documentId of the first seeded article on a server (each server seeds its own ids). */
export async function firstArticle(server) {
  const res = await fetch(`http://127.0.0.1:${server.port}/api/articles?sort=id:asc`);
  if (res.status !== 200) throw new Error(`GET /api/articles on ${server.name}: ${res.status}`);
  const body = await res.json();
  const article = body.data?.[0];
  if (!article) throw new Error(`no article on ${server.name}; was SEED_CONTENT applied?`);
  return { documentId: article.documentId, title: article.title };
}
