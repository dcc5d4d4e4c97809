import type { Core } from '@strapi/strapi';
import { proxyTrustWarning } from './collection/proxy-trust';
import { getService } from './get-service';
import { describeMonitoring } from './monitoring/startup-summary';

const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  const applied = await getService(strapi, 'migrator').migrate();
  // The settings stored from the admin panel apply before anything reads the configuration.
  await getService(strapi, 'settings').start();
  await getService(strapi, 'salts').start();
  await getService(strapi, 'event-pipeline').start();
  getService(strapi, 'scheduler').start();
  getService(strapi, 'monitoring').start();
  const metricsOn = getService(strapi, 'metrics').start();
  const config = getService(strapi, 'plugin-config').get();
  strapi.log.info(
    `[usage-analytics] ready on ${strapi.db.dialect.client}` +
      (applied.length ? `, applied migrations: ${applied.join(', ')}` : '') +
      `; collecting ${config.enabled ? 'on' : 'off'}, api reads ${config.trackApiReads ? 'on' : 'off'}` +
      `, flush every ${config.flush.intervalMs} ms, raw data kept ${config.retention.rawDays} days` +
      `; ${describeMonitoring(config, getService(strapi, 'plugin-config').instanceId(), metricsOn)}`
  );
  const proxyWarning = proxyTrustWarning(strapi.server.app);
  if (proxyWarning) strapi.log.warn(proxyWarning);
};

export default bootstrap;
