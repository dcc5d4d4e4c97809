import adminRoutes from '../../server/src/routes/admin';
import { PERMISSIONS } from '../../shared/permissions';
import { adminSession } from '../helpers/admin';
import { info, recordFigure } from '../helpers/reliability-figures';
import { bootApp, type TestApp } from '../helpers/strapi';

/**
 * Every admin route × every kind of caller → the status its declared policy actions imply:
 * 401 anonymous, 403 when the role lacks one of the route's actions, otherwise an answer (not
 * 401/403, never 5xx). The routes are read from server/src/routes/admin.ts, so a route added
 * later is covered without touching this file. And the Prometheus endpoint refuses a missing or
 * wrong token.
 */
type Caller = { name: string; actions: string[] | 'all' | null };
const CALLERS: Caller[] = [
  { name: 'anonymous', actions: null },
  { name: 'no plugin permission', actions: [] },
  { name: 'read', actions: [PERMISSIONS.read] },
  { name: 'export only', actions: [PERMISSIONS.export] },
  { name: 'read+export', actions: [PERMISSIONS.read, PERMISSIONS.export] },
  { name: 'settings', actions: [PERMISSIONS.settings] },
  { name: 'super admin', actions: 'all' },
];

interface Policy {
  name?: string;
  config?: { actions?: string[] };
}

/** The actions a route's `admin::hasPermissions` policies require. */
function requiredActions(route: { config?: { policies?: unknown[] } }): string[] {
  return (route.config?.policies ?? [])
    .filter((p): p is Policy => typeof p === 'object' && p !== null)
    .filter((p) => p.name === 'admin::hasPermissions')
    .flatMap((p) => p.config?.actions ?? []);
}

/**
 * What the sensitive routes must declare, whatever routes/admin.ts says: the matrix derives its
 * expectations from the declarations, so a route declared with too little would pass it.
 */
const MUST_DECLARE: Array<[RegExp, string[]]> = [
  [/^\/export\//, [PERMISSIONS.read, PERMISSIONS.export]],
  [/^\/settings/, [PERMISSIONS.settings]],
];

/** A concrete URL for a route path: parameters get plausible values. */
const PARAM_VALUES: Record<string, string> = {
  contentType: 'api::article.article',
  documentId: 'abcdefghijklmnopqrstuvwx',
};
const concretePath = (path: string) =>
  `/usage-analytics${path.replace(/:(\w+)/g, (_m, name: string) => PARAM_VALUES[name] ?? name)}`;

describe('RBAC matrix of the admin API', () => {
  let app: TestApp;
  const tokens = new Map<string, string>();
  beforeAll(async () => {
    app = await bootApp({
      pluginConfig: { metrics: { enabled: true, token: 'right-token-0123456789' } },
    });
    for (const caller of CALLERS) {
      if (caller.actions === null) continue;
      const session = await adminSession(
        app,
        caller.actions === 'all' ? 'super-admin' : { actions: caller.actions }
      );
      tokens.set(caller.name, session.token);
    }
  });
  afterAll(() => app?.stop());

  it('answers every route as its declared actions say, for every caller', async () => {
    const routes = adminRoutes.routes as Array<{
      method: string;
      path: string;
      config?: { policies?: unknown[] };
    }>;
    expect(routes.length).toBeGreaterThan(0);
    const mismatches: string[] = [];
    const table: string[] = [];
    for (const route of routes) {
      const actions = requiredActions(route);
      // Every admin route must declare its actions (requireAdmin), or this matrix means nothing.
      if (!actions.length) mismatches.push(`${route.method} ${route.path}: no hasPermissions`);
      for (const [pattern, needed] of MUST_DECLARE) {
        if (pattern.test(route.path) && !needed.every((a) => actions.includes(a)))
          mismatches.push(`${route.method} ${route.path}: must require ${needed.join(' + ')}`);
      }
      const cells: string[] = [];
      for (const caller of CALLERS) {
        const allowed =
          caller.actions === 'all' ||
          (caller.actions !== null && actions.every((a) => caller.actions!.includes(a)));
        const expected = caller.actions === null ? '401' : allowed ? 'allowed' : '403';
        const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
        const client = app.http();
        let req = client[method](concretePath(route.path));
        const token = tokens.get(caller.name);
        if (token) req = req.set('Authorization', `Bearer ${token}`);
        if (route.method !== 'GET') req = req.send({});
        const status = (await req).status;
        const ok =
          expected === 'allowed'
            ? status !== 401 && status !== 403 && status < 500
            : String(status) === expected;
        if (!ok)
          mismatches.push(
            `${route.method} ${route.path} as ${caller.name}: ${status}, expected ${expected}`
          );
        cells.push(`${status}${ok ? '' : '✗'}`);
      }
      table.push(
        `${route.method} ${route.path} [${actions.map((a) => a.split('.').pop()).join('+')}]: ${cells.join(' ')}`
      );
    }
    console.log(`RBAC matrix (${CALLERS.map((c) => c.name).join(' | ')}):\n${table.join('\n')}`);
    info('rbac', 'callers', CALLERS.map((c) => c.name).join(', '));
    for (const line of table) {
      const [route, cells] = line.split(': ');
      recordFigure({
        check: 'rbac',
        measure: route,
        value: cells,
        goal: 'from the route’s actions',
        pass: !cells.includes('✗'),
      });
    }
    expect(mismatches).toEqual([]);
  });

  it('refuses the Prometheus endpoint without the right token', async () => {
    const scrape = (auth?: string) => {
      const req = app.http().get('/api/usage-analytics/metrics');
      return auth ? req.set('Authorization', auth) : req;
    };
    const none = (await scrape()).status;
    const wrong = (await scrape('Bearer wrong-token')).status;
    const right = (await scrape('Bearer right-token-0123456789')).status;
    recordFigure({
      check: 'rbac',
      measure: 'GET /metrics: no token / wrong token / right token',
      value: `${none} / ${wrong} / ${right}`,
      goal: '401 / 401 / 200',
      pass: none === 401 && wrong === 401 && right === 200,
    });
    expect([none, wrong, right]).toEqual([401, 401, 200]);
  });
});
