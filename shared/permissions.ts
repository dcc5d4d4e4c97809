/**
 * The plugin's RBAC actions, in one place for the server (registration, route policies)
 * and the admin panel (menu link, page guards).
 */
export const PLUGIN_ID = 'usage-analytics';

export const PERMISSIONS = {
  read: `plugin::${PLUGIN_ID}.read`,
  export: `plugin::${PLUGIN_ID}.export`,
  settings: `plugin::${PLUGIN_ID}.settings`,
} as const;

export type PermissionAction = (typeof PERMISSIONS)[keyof typeof PERMISSIONS];

/** As Strapi's permission action provider wants them (`plugin::<pluginName>.<uid>`). */
export const PERMISSION_ACTIONS = [
  { section: 'plugins', displayName: 'Read dashboards', uid: 'read', pluginName: PLUGIN_ID },
  { section: 'plugins', displayName: 'Export data', uid: 'export', pluginName: PLUGIN_ID },
  { section: 'plugins', displayName: 'Manage settings', uid: 'settings', pluginName: PLUGIN_ID },
];
