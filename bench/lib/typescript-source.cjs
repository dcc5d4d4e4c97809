// The exports of a TypeScript file of this repository that imports nothing (shared/time.ts,
// tests/app/src/seeded-random.ts), for the benchmarks' own code: the same values as the plugin and
// the tests, from their one source. Transpiled in memory by the TypeScript compiler, once per file.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const ROOT = path.resolve(__dirname, '..', '..');
const loaded = new Map();

/** The exports of `file` (a path relative to the repository). */
function loadTypeScript(file) {
  if (loaded.has(file)) return loaded.get(file);
  const ts = require('typescript');
  const filename = path.join(ROOT, file);
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  if (/\brequire\(/.test(outputText)) {
    throw new Error(`${file} imports other modules: compile it with compileSources (build.mjs)`);
  }
  const module = { exports: {} };
  vm.runInThisContext(`(function (exports, module) {\n${outputText}\n})`, { filename })(
    module.exports,
    module
  );
  loaded.set(file, module.exports);
  return module.exports;
}

module.exports = { loadTypeScript };
