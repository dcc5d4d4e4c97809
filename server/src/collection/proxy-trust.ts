/** What Strapi gave Koa from `server.proxy` (`koa`, `ipHeader`, `maxIpsCount`). */
export interface ProxySettings {
  proxy: boolean;
  proxyIpHeader?: string;
  maxIpsCount?: number;
}

/**
 * A warning when the client address the plugin sees (`ctx.ip`) can be chosen by the client:
 * with `proxy.koa` on and no `maxIpsCount`, Koa takes the left-most address of the forwarded
 * header, which the client writes itself — so it can pose as any number of visitors and
 * addresses and get past the rate limits. Null when the settings are safe.
 */
export function proxyTrustWarning(settings: ProxySettings): string | null {
  if (!settings.proxy || (settings.maxIpsCount ?? 0) > 0) return null;
  const header = settings.proxyIpHeader || 'X-Forwarded-For';
  return (
    `[usage-analytics] server.proxy.koa is on without server.proxy.maxIpsCount: the client ` +
    `address is the left-most ${header} value, which clients can set, so they can get past the ` +
    `tracking rate limits; set server.proxy.maxIpsCount in config/server to the number of proxies ` +
    `in front of Strapi (1 for one load balancer)`
  );
}
