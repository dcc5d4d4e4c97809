#!/usr/bin/env node
// `npm run demo`: builds the plugin and the test app's admin panel, boots the app on SQLite with
// sample content, creates an admin user, sends realistic traffic, and prints the admin URL and
// login. Ctrl-C stops it. Options: --fresh (start from an empty database), --skip-build.
import { buildDemo, demoLogin, startDemo } from './demo-app.mjs';
import { sendDemoTraffic } from './demo-traffic.mjs';

const args = new Set(process.argv.slice(2));

if (!args.has('--skip-build')) buildDemo();

try {
  const { base, child, sent } = await startDemo({
    port: Number(process.env.PORT ?? 1337),
    fresh: args.has('--fresh'),
  });
  child.on('exit', (code) => process.exit(code ?? 0));
  console.log(`\n✔ Demo ready — sent ${sent} requests of sample traffic.`);
  console.log(`  Admin panel: ${base}/admin`);
  console.log(`  Login:       ${demoLogin.email} / ${demoLogin.password}`);
  console.log('  A trickle of traffic continues while it runs. Ctrl-C stops the demo.\n');
  setInterval(() => {
    sendDemoTraffic(base, { requests: 10 }).catch(() => undefined);
  }, 15_000).unref();
} catch (error) {
  console.error(`✖ ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
}
