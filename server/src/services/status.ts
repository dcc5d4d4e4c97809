import type { Core } from '@strapi/strapi';
import type { StatusResponse } from '../../../shared/contracts/status';
import { getService } from '../get-service';
import { PLUGIN_VERSION } from '../plugin-version';

/** What the plugin is doing right now, for the admin panel's header and diagnostics. */
const createStatus = ({ strapi }: { strapi: Core.Strapi }) => ({
  async get(): Promise<StatusResponse['data']> {
    const config = getService(strapi, 'plugin-config');
    return {
      version: PLUGIN_VERSION,
      collecting: config.get().enabled,
      database: strapi.db.dialect.client,
      schemaVersion: await getService(strapi, 'migrator').currentVersion(),
      instanceId: config.instanceId(),
    };
  },
});

export type StatusService = ReturnType<typeof createStatus>;
export default createStatus;
