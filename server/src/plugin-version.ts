// The package's version, read once; the built server sits at dist/server, two levels below it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function readVersion(): string {
  for (const dir of [join(__dirname, '..', '..'), join(__dirname, '..', '..', '..')]) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (pkg.name === 'strapi-plugin-usage-analytics') return String(pkg.version);
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0';
}

export const PLUGIN_VERSION = readVersion();
