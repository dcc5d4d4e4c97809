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

// USAGE_ANALYTICS_CONFIG lets a test boot the app with a specific plugin configuration;
// TEST_SMTP_PORT, a test's own SMTP server, which Strapi's email plugin then sends to.
export default ({ env }: Core.Config.Shared.ConfigParams) => ({
  'usage-analytics': {
    enabled: env.bool('USAGE_ANALYTICS_ENABLED', true),
    resolve: repositoryRoot(),
    config: env.json('USAGE_ANALYTICS_CONFIG', {}),
  },
  ...(env('TEST_SMTP_PORT')
    ? {
        email: {
          config: {
            provider: 'nodemailer',
            providerOptions: {
              host: '127.0.0.1',
              port: env.int('TEST_SMTP_PORT'),
              secure: false,
              ignoreTLS: true,
            },
            settings: {
              defaultFrom: 'analytics@cms.example',
              defaultReplyTo: 'analytics@cms.example',
            },
          },
        },
      }
    : {}),
});
