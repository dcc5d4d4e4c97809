// Builds what the benchmark runs: the plugin (dist/), the test app (tests/app/dist), and the
// plugin's buffer/writer/migration sources compiled for Node into bench/results/.build.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { BUILD_DIR, RESULTS_DIR, ROOT } from './paths.mjs';

const require = createRequire(import.meta.url);
const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);

function run(label, command, args) {
  const started = Date.now();
  const res = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', env: process.env });
  const output = `${res.stdout ?? ''}${res.stderr ?? ''}`;
  fs.writeFileSync(path.join(RESULTS_DIR, `${label}.log`), output);
  if (res.status !== 0) {
    const tail = output.trimEnd().split('\n').slice(-30).join('\n');
    throw new Error(`${label} failed (exit ${res.status}):\n${tail}`);
  }
  return (Date.now() - started) / 1000;
}

/** `strapi-plugin build` at the root, then `tsc -p tests/app/tsconfig.json`. */
export function buildPluginAndApp() {
  const plugin = run('build-plugin', bin('strapi-plugin'), ['build']);
  const app = run('build-app', bin('tsc'), ['-p', 'tests/app/tsconfig.json']);
  return { pluginSeconds: plugin, appSeconds: app };
}

/**
 * Compiles plugin sources (paths relative to the repository) and the local files they import to
 * CommonJS under bench/results/.build, without type checking, and returns a loader for them.
 * Missing sources are reported in `missing` rather than thrown.
 */
export function compileSources(sources) {
  const missing = sources.filter((file) => !fs.existsSync(path.join(ROOT, file)));
  const present = sources.filter((file) => !missing.includes(file));
  fs.rmSync(BUILD_DIR, { recursive: true, force: true });
  if (present.length) {
    const ts = require('typescript');
    const program = ts.createProgram(
      present.map((file) => path.join(ROOT, file)),
      {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        moduleResolution: ts.ModuleResolutionKind.Node10,
        esModuleInterop: true,
        skipLibCheck: true,
        types: [],
        rootDir: ROOT,
        outDir: BUILD_DIR,
        noEmitOnError: false,
      }
    );
    const { emitSkipped } = program.emit();
    if (emitSkipped) throw new Error(`could not compile ${present.join(', ')}`);
  }
  return {
    missing,
    /** require() of a compiled source, by its .ts path relative to the repository. */
    load: (file) => require(path.join(BUILD_DIR, file.replace(/\.ts$/, '.js'))),
  };
}
