import { Page } from '@strapi/strapi/admin';
import { PERMISSIONS } from '../../../shared/permissions';
import { PluginQueries } from '../plugin-queries';
import { SettingsPage } from './SettingsPage';

/** Settings → Usage Analytics, for roles with the `settings` permission (the API checks it too). */
const SettingsApp = () => (
  <Page.Protect permissions={[{ action: PERMISSIONS.settings, subject: null }]}>
    <PluginQueries>
      <SettingsPage />
    </PluginQueries>
  </Page.Protect>
);

export default SettingsApp;
