// The brand-new app of `npm run test:pack`: a content type written the way the Content-type
// Builder writes one, and the app started as a user starts it (`npm run start` or `develop`).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** An "Article" collection type with a title, in src/api/article (as the Content-type Builder saves it). */
export function addArticleType(appDir) {
  const dir = path.join(appDir, 'src', 'api', 'article', 'content-types', 'article');
  fs.mkdirSync(dir, { recursive: true });
  const schema = {
    kind: 'collectionType',
    collectionName: 'articles',
    info: { singularName: 'article', pluralName: 'articles', displayName: 'Article' },
    options: { draftAndPublish: true },
    attributes: { title: { type: 'string' } },
  };
  fs.writeFileSync(path.join(dir, 'schema.json'), JSON.stringify(schema, null, 2) + '\n');
}

/**
 * Runs `npm run <script>` in the app on 127.0.0.1:`port` and waits for /_health (up to
 * `timeoutMs`). Returns its URL, its output so far, and `stop()`, which ends its process group and
 * waits for it to exit.
 */
export async function startApp(appDir, script, port, timeoutMs = 120_000) {
  let output = '';
  const child = spawn('npm', ['run', script], {
    cwd: appDir,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      STRAPI_TELEMETRY_DISABLED: 'true',
    },
    detached: true,
  });
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const app = {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
        await exited;
      }
    },
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`npm run ${script} exited:\n${output.slice(-4000)}`);
    const healthy = await fetch(`${app.url}/_health`).then(
      (r) => r.status === 204,
      () => false
    );
    if (healthy) return app;
    if (Date.now() > deadline) {
      await app.stop();
      throw new Error(`npm run ${script} did not start:\n${output.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}
