import type { Core } from '@strapi/strapi';

export default ({ env }: Core.Config.Shared.ConfigParams) => ({
  host: env('HOST', '127.0.0.1'),
  port: env.int('PORT', 1337),
  app: { keys: env.array('APP_KEYS') },
  // Trust X-Forwarded-For only when a test asks for it (the plugin follows this setting).
  proxy: { koa: env.bool('TRUST_PROXY', false) },
  logger: {
    updates: { enabled: false },
    startup: { enabled: false },
    config: { level: env('LOG_LEVEL', 'http') },
  },
});
