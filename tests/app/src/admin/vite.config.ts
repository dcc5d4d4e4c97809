import { mergeConfig, type UserConfig } from 'vite';

// In `strapi develop`, Vite finds the plugin's react-query only when the plugin's lazily loaded
// page opens; re-optimising then can load a second copy of React ("Invalid hook call") until the
// page is reloaded. Listing it up front avoids that on a cold cache.
export default (config: UserConfig) =>
  mergeConfig(config, { optimizeDeps: { include: ['@tanstack/react-query'] } });
