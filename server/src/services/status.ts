import type { Core } from '@strapi/strapi';
import type { StatusResponse } from '../../../shared/contracts/status';
import { servicesUsed } from '../get-service';
import { PLUGIN_VERSION } from '../plugin-version';

/** What the plugin is doing right now, for the admin panel's header and diagnostics. */
const createStatus = ({ strapi }: { strapi: Core.Strapi }) => {
  const use = servicesUsed(strapi, ['migrator', 'plugin-config']);
  return {
    async get(): Promise<StatusResponse['data']> {
      const config = use('plugin-config');
      return {
        version: PLUGIN_VERSION,
        collecting: config.get().enabled,
        database: strapi.db.dialect.client,
        schemaVersion: await use('migrator').currentVersion(),
        instanceId: config.instanceId(),
      };
    },
  };
};

export type StatusService = ReturnType<typeof createStatus>;
export default createStatus;
