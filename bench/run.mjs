// `npm run bench`: builds the plugin and the test app, boots plugin-disabled and plugin-enabled
// Strapi servers pinned to CPU 0, drives them from this process pinned to CPU 1 with the traffic
// of many visitors (bench/lib/traffic.mjs), and prints one table (also written to
// bench/results/latest.json). The plugin runs with its default configuration.
//
// Environment: BENCH_ROUNDS (60) rounds of the Content API read rotation (off₁, off₂, on and the
// variants) in BENCH_FORKS (3) forks, each on freshly started servers, BENCH_PAIRS (50) A/B pairs of the other load comparisons, BENCH_SECONDS (2) seconds per run,
// BENCH_ROWS (200000) rows per database-write run, BENCH_DB_PAIRS (5) pairs per database, BENCH_WARMUP_SECONDS (5 × BENCH_SECONDS) warm-up per server and comparison,
// BENCH_STALL_REPEATS (3) windows per job and BENCH_STALL_RATE (100) req/s of traffic during them
// for the event-loop stalls, BENCH_PORT (1400) the first
// of the 100 ports used, BENCH_BUILD=0 to reuse the last build, BENCH_PLUGIN_CONFIG (JSON) plugin
// configuration (its `flush` settings also apply to buffer-flush), BENCH_VARIANTS (JSON: label →
// plugin configuration) more plugin-enabled servers in the read rotation, each compared with off₁
// — e.g. '{"no-read-tracking":{"trackApiReads":false}}' shows what reading tracking costs,
// BENCH_SECTIONS (all) a comma-separated subset of apiRead, track, stall, trackerSize, bufferFlush.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { apiReadRotation } from './api-read.mjs';
import { bufferFlush } from './buffer-flush.mjs';
import { buildPluginAndApp } from './lib/build.mjs';
import { allowedCpus, checkPinningAvailable, pinProcess } from './lib/cpu.mjs';
import { CONNECTIONS } from './lib/load.mjs';
import { createProgress, gitState, intFromEnv, machine } from './lib/context.mjs';
import { RESULTS_DIR, ROOT } from './lib/paths.mjs';
import {
  articleIds,
  BASE_PORT,
  killAllServersNow,
  killLeftovers,
  startServer,
  stopAllServers,
  stopServer,
} from './lib/server.mjs';
import { seedArticles } from './lib/probe.mjs';
import { shortMessage } from './lib/short-message.mjs';
import { formatTable, unavailableRow } from './lib/table.mjs';
import {
  ADDED_ARTICLES,
  BROWSER_USER_AGENTS,
  ENTRIES,
  READ_VISITORS,
  TRACK_VISITORS,
} from './lib/traffic.mjs';
import { eventLoopStalls } from './stall.mjs';
import { trackVsHealth } from './track.mjs';
import { trackerSize } from './tracker-size.mjs';

const require = createRequire(import.meta.url);
const LOAD_CPU = 1;

/** A JSON object from the environment (the plugin's configuration, the variants), or {}. */
function jsonFromEnv(name) {
  const raw = process.env[name];
  if (!raw) return {};
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new Error(`${name} is not JSON: ${error.message}`);
  }
}

const progress = createProgress('bench');

function installCleanup() {
  process.on('exit', killAllServersNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      progress(`${signal}: stopping servers`);
      killAllServersNow();
      process.exit(128 + (os.constants.signals[signal] ?? 0));
    });
  }
}

async function main() {
  const settings = {
    rounds: intFromEnv('BENCH_ROUNDS', 60, 2),
    forks: intFromEnv('BENCH_FORKS', 3),
    pairs: intFromEnv('BENCH_PAIRS', 50, 2),
    seconds: intFromEnv('BENCH_SECONDS', 2),
    rowCount: intFromEnv('BENCH_ROWS', 200_000),
    connections: CONNECTIONS,
    pluginConfig: jsonFromEnv('BENCH_PLUGIN_CONFIG'),
    variants: jsonFromEnv('BENCH_VARIANTS'),
  };
  settings.warmupSeconds = intFromEnv('BENCH_WARMUP_SECONDS', 5 * settings.seconds);
  settings.dbPairs = intFromEnv('BENCH_DB_PAIRS', 5, 2);
  settings.stallRepeats = intFromEnv('BENCH_STALL_REPEATS', 3);
  settings.stallRate = intFromEnv('BENCH_STALL_RATE', 100);
  settings.traffic = {
    readVisitors: READ_VISITORS,
    trackVisitors: TRACK_VISITORS,
    userAgents: BROWSER_USER_AGENTS.length,
    entries: ENTRIES,
    popularity: 'Zipf, s = 1',
  };
  const build = process.env.BENCH_BUILD !== '0';
  const sections = process.env.BENCH_SECTIONS?.split(',').map((name) => name.trim());
  settings.sections = sections ?? 'all';

  checkPinningAvailable();
  pinProcess(process.pid, LOAD_CPU);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  killLeftovers();
  installCleanup();
  const info = machine();
  progress(
    `${info.cores} cores (${info.cpuModel}), ${info.node}, load average ${info.loadAverageAtStart.join(' ')}; ` +
      `load generator on CPU ${allowedCpus()}; ${settings.rounds} read rounds in ${settings.forks} forks, ${settings.pairs} pairs × ${settings.seconds} s`
  );
  if (info.loadAverageAtStart[0] > 0.5) {
    progress('warning: the machine is busy (load average > 0.5); expect wider bands');
  }

  const git = gitState(['server', 'shared', 'admin', 'tests/app']); // before the build: the state that gets built
  let buildTimes = null;
  if (build) {
    progress('building the plugin and the test app');
    buildTimes = buildPluginAndApp();
  }
  const { ensureAppEnv } = require(path.join(ROOT, 'scripts', 'app-env.cjs'));
  const envPath = ensureAppEnv();
  const load = {
    pairs: settings.pairs,
    seconds: settings.seconds,
    warmupSeconds: settings.warmupSeconds,
    progress,
  };
  const boot = async (name, port, pluginEnabled, pluginConfig = settings.pluginConfig) => {
    const server = await startServer({
      name,
      port,
      pluginEnabled,
      pluginConfig,
      envPath,
    });
    await seedArticles(server, ADDED_ARTICLES);
    const entries = (await articleIds(server)).length;
    if (entries !== ENTRIES) throw new Error(`${name} serves ${entries} articles, not ${ENTRIES}`);
    progress(`${name} up on :${port}, pid ${server.pid}, CPU ${server.cpus}, ${entries} articles`);
    return server;
  };

  const rows = [];
  const details = {};
  // One benchmark failing is reported as an error row; the others still run.
  const section = async (key, benchmark, measure, fn) => {
    if (sections && !sections.includes(key)) return;
    try {
      const { result, rows: produced } = await fn();
      rows.push(...produced);
      details[key] = result;
    } catch (error) {
      progress(`${benchmark} failed: ${error.stack ?? error}`);
      rows.push(unavailableRow(benchmark, measure, shortMessage(error.message), null, 'error'));
      details[key] = { error: error.message.slice(0, 2000) };
    }
  };
  try {
    // Each fork of the read rotation boots its servers afresh on the same ports.
    const bootAll = async (fork = 0) => {
      const tag = fork ? `-fork${fork + 1}` : '';
      progress(`booting two plugin-disabled servers (A/A) and the plugin-enabled one${tag}`);
      const servers = {
        off1: await boot(`plugin-off-1${tag}`, BASE_PORT, false),
        off2: await boot(`plugin-off-2${tag}`, BASE_PORT + 1, false),
        on: await boot(`plugin-on${tag}`, BASE_PORT + 2, true),
        variants: [],
      };
      for (const [index, [label, config]] of Object.entries(settings.variants).entries()) {
        const server = await boot(`plugin-${label}${tag}`, BASE_PORT + 3 + index, true, config);
        servers.variants.push({ label, server });
      }
      return servers;
    };
    const stopAll = async ({ off1, off2, on, variants }) => {
      for (const server of [off1, off2, on, ...variants.map((v) => v.server)]) {
        await stopServer(server);
      }
    };
    let servers = null;
    await section('apiRead', 'api-read', 'req/s ratio on ÷ off', async () => {
      const read = await apiReadRotation(
        { boot: bootAll, stop: stopAll, forks: settings.forks },
        { ...load, rounds: settings.rounds }
      );
      servers = read.servers;
      return read;
    });
    if (!servers) {
      await stopAllServers();
      servers = await bootAll();
    }
    const { off1, off2, on, variants } = servers;
    await stopServer(off2);
    for (const { server } of variants) await stopServer(server);
    await section('track', 'track', 'req/s ratio track ÷ /_health', () => trackVsHealth(on, load));
    // Last: its retention window deletes every raw row.
    await section('stall', 'stall', 'max loop delay on − off', () =>
      eventLoopStalls(off1, on, {
        repeats: settings.stallRepeats,
        rate: settings.stallRate,
        progress,
      })
    );
    await stopServer(off1);
    await section('trackerSize', 'tracker-size', 'script.js gzip -9', () => trackerSize(on));
    await stopServer(on);
  } finally {
    await stopAllServers();
  }

  progress(`database writes: ${settings.rowCount} rows × ${settings.dbPairs} pairs per database`);
  await section('bufferFlush', 'buffer-flush', 'rows/s ratio buffer ÷ plain', () =>
    bufferFlush({
      rowCount: settings.rowCount,
      pairs: settings.dbPairs,
      flush: settings.pluginConfig.flush,
      progress,
    })
  );

  const report = {
    date: new Date().toISOString(),
    machine: info,
    git,
    settings,
    buildTimes,
    durationSeconds: progress.seconds(),
    rows: rows.map(({ display: _display, ...row }) => row),
    table: formatTable(rows),
    details,
  };
  fs.writeFileSync(path.join(RESULTS_DIR, 'latest.json'), JSON.stringify(report, null, 2) + '\n');
  console.log(
    `\nBenchmarks — ${report.date.slice(0, 10)}, ${info.cores} cores (${info.cpuModel}), ` +
      `Node ${info.node}, ${settings.rounds} read rounds in ${settings.forks} forks and ${settings.pairs} pairs × ${settings.seconds} s, ${CONNECTIONS} connections, ` +
      `plugin config ${JSON.stringify(settings.pluginConfig)}${Object.keys(settings.pluginConfig).length ? '' : ' (defaults)'}, ` +
      `traffic ${READ_VISITORS} visitors reading / ${TRACK_VISITORS} tracked, ` +
      `${BROWSER_USER_AGENTS.length} user agents, ${settings.traffic.entries} entries (Zipf), ` +
      `commit ${report.git.commit}${report.git.dirty ? ' + uncommitted changes' : ''}\n`
  );
  console.log(report.table);
  console.log(
    `\nWritten to ${path.relative(ROOT, path.join(RESULTS_DIR, 'latest.json'))} in ${report.durationSeconds} s`
  );
}

main().catch(async (error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error}\n`);
  await stopAllServers().catch(() => {});
  process.exitCode = 1;
});
