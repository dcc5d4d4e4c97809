import type { Core } from '@strapi/strapi';
import os from 'node:os';
import type { PluginConfig } from '../config';
import { applyOverrides, type Overrides } from '../config/editable-settings';
import { PLUGIN_ID } from '../../../shared/permissions';

/**
 * The configuration every part of the plugin reads, per request or per run: config/plugins
 * (validated at startup) with the settings stored from the admin panel on top (services/settings
 * keeps them current, on every instance). And this instance's identity.
 */
const createPluginConfig = ({ strapi }: { strapi: Core.Strapi }) => {
  let overrides: Overrides = {};
  const file = () => strapi.config.get<PluginConfig>(`plugin::${PLUGIN_ID}`);
  const instanceId = (): string => {
    const configured = strapi.config.get<string | null>(`plugin::${PLUGIN_ID}.instanceId`, null);
    return configured ?? `${os.hostname()}:${process.pid}`;
  };
  return {
    /** The effective configuration. */
    get(): PluginConfig {
      return applyOverrides(file(), overrides);
    },
    /** What config/plugins and the defaults say, without the stored settings. */
    file,
    overrides(): Overrides {
      return overrides;
    },
    /** Only services/settings calls this, with overrides it has checked against file(). */
    setOverrides(next: Overrides): void {
      overrides = next;
    },
    instanceId,
  };
};

export type PluginConfigService = ReturnType<typeof createPluginConfig>;
export default createPluginConfig;
