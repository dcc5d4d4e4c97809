import type { Migration } from './types';

/**
 * `ua_settings` (created by 001) was never written: settings saved from the admin panel live in
 * Strapi's plugin store, beside the rest of the app's plugin settings. Dropped.
 */
export const dropUnusedSettingsTable: Migration = {
  name: '013-drop-unused-settings-table',
  async up(knex, schema) {
    await schema(knex).dropTableIfExists('ua_settings');
  },
};
