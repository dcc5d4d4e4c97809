import type { StrapiApp } from '@strapi/strapi/admin';
import { ChartCircle, Eye } from '@strapi/icons';
import { PERMISSIONS, PLUGIN_ID } from '../../../shared/permissions';
import { getTranslation } from '../get-translation';
import { DASHBOARD_LAST_7_DAYS } from './use-week-overview';

const link = {
  label: { id: getTranslation('widget.link'), defaultMessage: 'Open the dashboard' },
  href: DASHBOARD_LAST_7_DAYS,
};
// Strapi shows a widget only to roles that have every permission listed here.
const permissions = [{ action: PERMISSIONS.read }];

/**
 * The homepage widgets "Top content, last 7 days" and "Traffic, last 7 days". The widget API
 * arrived in Strapi 5.13; on an older admin there is nothing to register and the plugin loads
 * without them.
 */
export function registerWidgets(app: StrapiApp): void {
  const widgets = (app as { widgets?: StrapiApp['widgets'] }).widgets;
  widgets?.register?.([
    {
      id: 'top-content',
      pluginId: PLUGIN_ID,
      icon: Eye,
      title: {
        id: getTranslation('widget.top.title'),
        defaultMessage: 'Top content, last 7 days',
      },
      component: async () => (await import('./TopContentWidget')).default,
      link,
      permissions,
    },
    {
      id: 'traffic',
      pluginId: PLUGIN_ID,
      icon: ChartCircle,
      title: {
        id: getTranslation('widget.traffic.title'),
        defaultMessage: 'Traffic, last 7 days',
      },
      component: async () => (await import('./TrafficWidget')).default,
      link,
      permissions,
    },
  ]);
}
