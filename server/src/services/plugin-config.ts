import type { Core } from '@strapi/strapi';
import os from 'node:os';
import type { PluginConfig } from '../config';
import { PLUGIN_ID } from '../../../shared/permissions';

/** The validated configuration and this instance's identity. */
const createPluginConfig = ({ strapi }: { strapi: Core.Strapi }) => {
  const instanceId = (): string => {
    const configured = strapi.config.get<string | null>(`plugin::${PLUGIN_ID}.instanceId`, null);
    return configured ?? `${os.hostname()}:${process.pid}`;
  };
  return {
    get(): PluginConfig {
      return strapi.config.get<PluginConfig>(`plugin::${PLUGIN_ID}`);
    },
    instanceId,
  };
};

export type PluginConfigService = ReturnType<typeof createPluginConfig>;
export default createPluginConfig;
