import pkg from '../../package.json';
import { PERMISSIONS } from '../../shared/permissions';
import { MIGRATIONS } from '../../server/src/migrations';
import { adminSession } from '../helpers/admin';
import { bootApp, type TestApp } from '../helpers/strapi';

describe('admin API permissions', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootApp();
  });
  afterAll(() => app?.stop());

  const getStatus = (token?: string) => {
    const req = app.http().get('/usage-analytics/status');
    return token ? req.set('Authorization', `Bearer ${token}`) : req;
  };

  it('registers the plugin actions with Strapi', () => {
    const actions = app.strapi
      .service('admin::permission')
      .actionProvider.values()
      .map((action: { actionId: string }) => action.actionId);
    expect(actions).toEqual(expect.arrayContaining(Object.values(PERMISSIONS)));
  });

  it('answers 401 to an anonymous request', async () => {
    const res = await getStatus();
    expect(res.status).toBe(401);
  });

  it('answers 403 to an editor whose role lacks read', async () => {
    const editor = await adminSession(app, { code: 'strapi-editor' });
    const res = await getStatus(editor.token);
    expect(res.status).toBe(403);
  });

  it('answers 403 to a role with export and settings but not read', async () => {
    const user = await adminSession(app, { actions: [PERMISSIONS.export, PERMISSIONS.settings] });
    expect((await getStatus(user.token)).status).toBe(403);
  });

  it('answers 200 to a role granted read', async () => {
    const reader = await adminSession(app, { actions: [PERMISSIONS.read] });
    const res = await getStatus(reader.token);
    expect(res.status).toBe(200);
    expect(res.body.data.database).toBe(app.strapi.db.dialect.client);
  });

  it('answers 200 to the super admin with the plugin status', async () => {
    const admin = await adminSession(app, 'super-admin');
    const res = await getStatus(admin.token);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      collecting: true,
      schemaVersion: MIGRATIONS[MIGRATIONS.length - 1].name,
      version: pkg.version,
    });
  });
});
