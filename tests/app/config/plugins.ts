import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';

// The plugin under test is this repository itself. This file is read from config/ by
// `strapi build` and from dist/config/ at runtime, so find the repository root by walking up.
function repositoryRoot(dir: string = __dirname): string {
  while (!fs.existsSync(path.join(dir, 'strapi-server.js'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('usage-analytics plugin repository not found');
    dir = parent;
  }
  return dir;
}

// USAGE_ANALYTICS_CONFIG lets a test boot the app with a specific plugin configuration.
export default ({ env }: Core.Config.Shared.ConfigParams) => ({
  'usage-analytics': {
    enabled: env.bool('USAGE_ANALYTICS_ENABLED', true),
    resolve: repositoryRoot(),
    config: env.json('USAGE_ANALYTICS_CONFIG', {}),
  },
});
