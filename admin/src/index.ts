import type { StrapiApp } from '@strapi/strapi/admin';
import { PERMISSIONS, PLUGIN_ID } from '../../shared/permissions';
import { PluginIcon } from './components/PluginIcon';
import { EntryStatsPanel } from './components/entry/EntryStatsPanel';
import { addViewsColumn } from './components/list-view/ViewsColumn';
import { listViewRbacMiddleware } from './components/list-view/list-view-rbac-middleware';
import { getTranslation } from './get-translation';
import { registerWidgets } from './widgets/register-widgets';

const plugin: StrapiApp['appPlugins'][string] = {
  register(app) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: PluginIcon,
      intlLabel: { id: getTranslation('plugin.name'), defaultMessage: 'Usage Analytics' },
      Component: () => import('./pages/App'),
      permissions: [{ action: PERMISSIONS.read, subject: null }],
    });
    app.addSettingsLink(
      {
        id: PLUGIN_ID,
        intlLabel: { id: getTranslation('plugin.name'), defaultMessage: 'Usage Analytics' },
      },
      {
        id: `${PLUGIN_ID}-settings`,
        to: PLUGIN_ID,
        intlLabel: { id: getTranslation('settings.link'), defaultMessage: 'Configuration' },
        Component: () => import('./pages/SettingsApp'),
        permissions: [{ action: PERMISSIONS.settings, subject: null }],
      }
    );
    app.registerPlugin({ id: PLUGIN_ID, name: PLUGIN_ID });
    registerWidgets(app);
    app.addRBACMiddleware(listViewRbacMiddleware);
  },

  bootstrap(app) {
    // The entry's usage in the Content Manager's edit view (hidden without the `read` permission).
    const contentManager = app.getPlugin('content-manager').apis as {
      addEditViewSidePanel?: (panels: unknown[]) => void;
    };
    contentManager.addEditViewSidePanel?.([EntryStatsPanel]);
    // The entries' 30-day views as a list view column (not for roles without `read`).
    app.registerHook('Admin/CM/pages/ListView/inject-column-in-table', addViewsColumn);
  },

  async registerTrads({ locales }: { locales: string[] }) {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: data } = await import(`./translations/${locale}.json`);
          const prefixed = Object.fromEntries(
            Object.entries(data as Record<string, string>).map(([key, value]) => [
              getTranslation(key),
              value,
            ])
          );
          return { data: prefixed, locale };
        } catch {
          return { data: {}, locale };
        }
      })
    );
  },
};

export default plugin;
