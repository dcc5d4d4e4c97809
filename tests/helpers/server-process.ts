import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { APP_DIR, ensureAppEnv } = require('../../scripts/app-env.cjs');
const STRAPI_BIN = path.resolve(
  APP_DIR,
  '..',
  '..',
  'node_modules',
  '@strapi',
  'strapi',
  'bin',
  'strapi.js'
);

export interface ServerProcess {
  url: string;
  pid: number;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/**
 * Starts the compiled test app as its own `strapi start` process (another Strapi instance), or
 * with `develop` (the admin panel served by Vite in development mode).
 */
export async function startServer(
  port: number,
  env: Record<string, string>,
  command: 'start' | 'develop' = 'start'
): Promise<ServerProcess> {
  ensureAppEnv();
  let output = '';
  const args = command === 'develop' ? ['develop'] : ['start'];
  const child: ChildProcess = spawn(process.execPath, [STRAPI_BIN, ...args], {
    cwd: APP_DIR,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      STRAPI_TELEMETRY_DISABLED: 'true',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code))
  );
  const url = `http://127.0.0.1:${port}`;
  // `develop` loads Strapi, compiles the app's TypeScript and loads it again before it answers:
  // 150 s on a busy machine, where `start` takes a third of that.
  const deadline = Date.now() + (command === 'develop' ? 300_000 : 120_000);
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`Strapi on port ${port} exited:\n${output.slice(-3000)}`);
    const up = await fetch(`${url}/_health`).then(
      (r) => r.status === 204,
      () => false
    );
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Strapi on port ${port} did not start:\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    pid: child.pid!,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
