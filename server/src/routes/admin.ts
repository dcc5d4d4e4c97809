import { PERMISSIONS } from '../../../shared/permissions';

/** Policies every admin route carries: a signed-in admin whose role grants `actions`. */
export const requireAdmin = (...actions: string[]) => [
  'admin::isAuthenticatedAdmin',
  { name: 'admin::hasPermissions', config: { actions } },
];

export default {
  type: 'admin',
  routes: [
    {
      method: 'GET',
      path: '/status',
      handler: 'status.get',
      config: { policies: requireAdmin(PERMISSIONS.read) },
    },
    {
      method: 'GET',
      path: '/settings',
      handler: 'settings.get',
      config: { policies: requireAdmin(PERMISSIONS.settings) },
    },
    {
      method: 'PUT',
      path: '/settings',
      handler: 'settings.update',
      config: { policies: requireAdmin(PERMISSIONS.settings) },
    },
    ...(
      [
        ['GET', '/report-settings', 'report.get'],
        ['PUT', '/report-settings', 'report.update'],
        ['POST', '/report/test', 'report.test'],
      ] as const
    ).map(([method, path, handler]) => ({
      method,
      path,
      handler,
      config: { policies: requireAdmin(PERMISSIONS.settings) },
    })),
    ...(
      [
        ['/overview', 'stats.overview'],
        ['/content/:contentType/:documentId', 'stats.content'],
        ['/realtime', 'stats.realtime'],
        ['/health', 'health.get'],
        ['/content-table', 'insights.contentTable'],
        ['/insights', 'insights.insights'],
        ['/editorial', 'insights.editorial'],
        ['/list-view/config', 'list-view.config'],
        ['/list-view/views', 'list-view.views'],
      ] as const
    ).map(([path, handler]) => ({
      method: 'GET',
      path,
      handler,
      config: { policies: requireAdmin(PERMISSIONS.read) },
    })),
    ...(
      [
        ['/export/content.csv', 'export.content'],
        ['/export/series.csv', 'export.series'],
      ] as const
    ).map(([path, handler]) => ({
      method: 'GET',
      path,
      handler,
      config: { policies: requireAdmin(PERMISSIONS.read, PERMISSIONS.export) },
    })),
  ],
};
