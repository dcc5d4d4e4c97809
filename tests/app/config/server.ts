import type { Core } from '@strapi/strapi';

export default ({ env }: Core.Config.Shared.ConfigParams) => ({
  host: env('HOST', '127.0.0.1'),
  port: env.int('PORT', 1337),
  app: { keys: env.array('APP_KEYS') },
  // Trust X-Forwarded-For only when a test asks for it (the plugin follows this setting).
  // TRUST_PROXY_HOPS: Koa's maxIpsCount (0 = every X-Forwarded-For entry, the left-most wins).
  proxy: { koa: env.bool('TRUST_PROXY', false), maxIpsCount: env.int('TRUST_PROXY_HOPS', 0) },
  logger: {
    updates: { enabled: false },
    startup: { enabled: false },
    config: { level: env('LOG_LEVEL', 'http') },
  },
});
