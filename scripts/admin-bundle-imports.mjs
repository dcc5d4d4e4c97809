// The packages the built admin bundle (dist/admin) leaves for the host app to resolve. Only the
// plugin's peer dependencies — what Strapi's admin already loads — may be among them: any other
// package would be a dependency the host's Vite discovers while `strapi develop` runs, and
// re-optimising then can load a second copy of React into an open page.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/** The package a specifier names: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
const packageOf = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/**
 * Every package that the ES module `entry` and the files it imports, statically or lazily, leave
 * to the host, with the files that import it (esbuild's import graph).
 */
export async function bareImports(entry) {
  const { metafile } = await build({
    entryPoints: [entry],
    bundle: true,
    splitting: true,
    format: 'esm',
    packages: 'external',
    write: false,
    outdir: path.join(path.dirname(entry), 'unused'),
    metafile: true,
    logLevel: 'silent',
  });
  const found = new Map();
  for (const [file, input] of Object.entries(metafile.inputs)) {
    for (const { path: specifier, external } of input.imports) {
      if (!external) continue;
      const name = packageOf(specifier);
      found.set(name, [...new Set([...(found.get(name) ?? []), path.basename(file)])]);
    }
  }
  return found;
}

/** The packages dist/admin imports that are not peer dependencies of the plugin at `root`. */
export async function nonPeerAdminImports(root) {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const peers = new Set(Object.keys(pkg.peerDependencies ?? {}));
  const imports = await bareImports(path.join(root, pkg.exports['./strapi-admin'].import));
  return [...imports].filter(([name]) => !peers.has(name));
}
