// `npm run bench:profile`: where the plugin's time per request goes. Boots the test app with the
// plugin (default configuration) under `node --cpu-prof`, adds the benchmark's articles, warms it
// up, drives it with the read traffic of `npm run bench` (BENCH_PROFILE_TRAFFIC=track: tracker
// pageviews instead) for BENCH_PROFILE_SECONDS (20), stops it and attributes the profile's samples
// within the load window (bench/lib/cpu-profile.mjs): CPU µs per request in plugin code, in the
// rest, in the garbage collector, and the plugin's heaviest functions. Writes
// bench/results/profile-latest.json; the profile itself stays in bench/results/profiles.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildPluginAndApp } from './lib/build.mjs';
import { checkPinningAvailable, pinProcess } from './lib/cpu.mjs';
import { attributeProfile } from './lib/cpu-profile.mjs';
import { createProgress, gitState, intFromEnv, machine } from './lib/context.mjs';
import { loadRun } from './lib/load.mjs';
import { RESULTS_DIR, ROOT } from './lib/paths.mjs';
import { pipelineStats, resetSqlTimes, seedArticles, sqlTimes } from './lib/probe.mjs';
import {
  articleIds,
  BASE_PORT,
  killAllServersNow,
  killLeftovers,
  startServer,
  stopServer,
} from './lib/server.mjs';
import { ADDED_ARTICLES, contentReadRequests, pageviewRequests } from './lib/traffic.mjs';

const require = createRequire(import.meta.url);
const progress = createProgress('profile');
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

async function main() {
  const seconds = intFromEnv('BENCH_PROFILE_SECONDS', 20);
  const traffic = process.env.BENCH_PROFILE_TRAFFIC === 'track' ? 'track' : 'read';
  const pluginEnabled = process.env.BENCH_PROFILE_PLUGIN !== 'off';
  checkPinningAvailable();
  pinProcess(process.pid, 1);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  killLeftovers();
  process.on('exit', killAllServersNow);
  const git = gitState(['server', 'shared']);
  if (process.env.BENCH_BUILD !== '0') {
    progress('building the plugin and the test app');
    buildPluginAndApp();
  }
  const { ensureAppEnv } = require(path.join(ROOT, 'scripts', 'app-env.cjs'));
  const profileDir = path.join(RESULTS_DIR, 'profiles', `${Date.now()}`);
  fs.mkdirSync(profileDir, { recursive: true });
  const server = await startServer({
    name: 'profiled',
    port: BASE_PORT + 5,
    pluginEnabled,
    pluginConfig: process.env.BENCH_PLUGIN_CONFIG
      ? JSON.parse(process.env.BENCH_PLUGIN_CONFIG)
      : {},
    envPath: ensureAppEnv(),
    cpuProfileDir: profileDir,
  });
  await seedArticles(server, ADDED_ARTICLES);
  const ids = await articleIds(server);
  const base = `http://127.0.0.1:${server.port}`;
  let run = 0;
  const target = {
    pid: server.pid,
    url: `${base}/api/articles/${ids[0]}`,
    requests: () =>
      traffic === 'track'
        ? pageviewRequests('/api/usage-analytics/track', ids, (run += 1))
        : contentReadRequests(ids, (run += 1)),
  };
  progress(
    `warming up ${seconds / 2} s, then ${seconds} s of ${traffic} traffic under the profiler`
  );
  await loadRun(target, Math.max(1, Math.round(seconds / 2)));
  await resetSqlTimes(server);
  const from = nowUs();
  const load = await loadRun(target, seconds);
  const to = nowUs();
  const sql = await sqlTimes(server);
  const pipeline = pluginEnabled ? await pipelineStats(server) : null;
  await stopServer(server);
  const file = fs.readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no CPU profile in ${profileDir}; see ${server.logFile}`);
  const attribution = attributeProfile(
    path.join(profileDir, file),
    path.join(ROOT, 'dist'),
    from,
    to
  );
  // The profile samples wall time (a busy machine stretches it); its shares of the samples where
  // the server was running are applied to the CPU time /proc counted for the window instead.
  const cpuMicrosPerRequest = (load.cpuSeconds * 1e6) / load.ok;
  const { totals } = attribution;
  const active = Object.entries(totals)
    .filter(([kind]) => kind !== '(idle)' && kind !== '(root)')
    .reduce((sum, [, us]) => sum + us, 0);
  const perRequest = (us) => ((us ?? 0) / active) * cpuMicrosPerRequest;
  const report = {
    date: new Date().toISOString(),
    machine: machine(),
    git,
    traffic,
    pluginEnabled,
    requests: load.ok,
    rps: load.rps,
    profile: path.relative(ROOT, path.join(profileDir, file)),
    window: { fromUs: from, toUs: to, cpuSeconds: load.cpuSeconds },
    cpuMicrosPerRequest,
    // CPU µs per request by owner (shares of the running samples × CPU per request).
    microsPerRequest: Object.fromEntries(
      Object.entries(totals)
        .filter(([kind]) => kind !== '(idle)' && kind !== '(root)')
        .map(([k, us]) => [k, Number(perRequest(us).toFixed(1))])
    ),
    pluginShare: (totals.plugin ?? 0) / active,
    pluginFunctions: attribution.pluginFunctions.map((f) => ({
      ...f,
      perRequest: perRequest(f.us),
    })),
    pluginLeaves: attribution.pluginLeaves.map((f) => ({ ...f, perRequest: perRequest(f.us) })),
    dropped: pipeline?.dropped ?? null,
    // Statements hold the thread on SQLite, but run after an await: the profile gives their time
    // to nobody in particular, so it is measured around each statement instead.
    sqlMicrosPerRequest: sql.timed
      ? {
          strapi: (sql.other.ms * 1000) / load.ok,
          plugin: (sql.plugin.ms * 1000) / load.ok,
          transactions: (sql.transactions.ms * 1000) / load.ok,
          pluginStatements: sql.statements.map((s) => ({
            statement: s.statement,
            count: s.count,
            maxMs: s.maxMs,
            perRequest: (s.ms * 1000) / load.ok,
          })),
        }
      : null,
  };
  fs.writeFileSync(
    path.join(RESULTS_DIR, 'profile-latest.json'),
    JSON.stringify(report, null, 2) + '\n'
  );
  console.log(
    `\nCPU profile — ${traffic} traffic, plugin ${pluginEnabled ? 'on' : 'off'}, ${load.ok} requests ` +
      `(${load.rps.toFixed(0)} req/s), commit ${git.commit}${git.dirty ? ' + uncommitted changes' : ''}\n`
  );
  console.log(
    `CPU ${cpuMicrosPerRequest.toFixed(0)} µs per request; plugin code ${(report.pluginShare * 100).toFixed(2)} % of it`
  );
  console.log('CPU µs per request by owner:');
  for (const [owner, us] of Object.entries(report.microsPerRequest).sort((a, b) => b[1] - a[1])) {
    console.log(`  ${owner.padEnd(20)} ${us.toFixed(1).padStart(8)}`);
  }
  if (report.sqlMicrosPerRequest) {
    const { strapi, plugin, transactions, pluginStatements } = report.sqlMicrosPerRequest;
    console.log(
      `\nSQLite statements on the Node.js thread, µs per request: Strapi's ${strapi.toFixed(1)}, ` +
        `the plugin's ${plugin.toFixed(1)}, BEGIN/COMMIT ${transactions.toFixed(1)} (Strapi's ` +
        `one per request, the plugin's one per flush and rollup chunk); the plugin's heaviest ` +
        `(µs per request, statements, longest):`
    );
    for (const s of pluginStatements)
      console.log(
        `  ${s.perRequest.toFixed(2).padStart(7)}  ${String(s.count).padStart(7)}  ${s.maxMs.toFixed(1).padStart(7)} ms  ${s.statement}`
      );
  }
  console.log('\nPlugin functions (µs per request, attributing frame):');
  for (const f of report.pluginFunctions)
    console.log(`  ${f.perRequest.toFixed(2).padStart(7)}  ${f.name}`);
  console.log('\nLeaf functions under plugin frames (µs per request, self):');
  for (const f of report.pluginLeaves)
    console.log(`  ${f.perRequest.toFixed(2).padStart(7)}  ${f.name}`);
}

main().catch((error) => {
  process.stderr.write(`bench:profile failed: ${error.stack ?? error}\n`);
  killAllServersNow();
  process.exitCode = 1;
});
