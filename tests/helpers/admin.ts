import type { OverviewResponse } from '../../shared/contracts/stats';
import type { TestApp } from './strapi';

export interface AdminSession {
  email: string;
  token: string;
}

let counter = 0;

/** A permission of a new role: an action, on a content type (`subject`) where it takes one. */
export interface RolePermission {
  action: string;
  subject?: string;
  properties?: { fields?: string[]; locales?: string[] };
}

/**
 * Creates an active admin user with the given role and logs in over HTTP, as the admin panel does.
 * `role` is 'super-admin', an existing role code such as 'strapi-editor', or a new role with exactly
 * the listed plugin actions (and `permissions`, such as Content Manager ones on a content type).
 */
export async function adminSession(
  app: TestApp,
  role: 'super-admin' | { code: string } | { actions: string[]; permissions?: RolePermission[] }
): Promise<AdminSession> {
  const { strapi } = app;
  const roles = strapi.service('admin::role');
  let roleId: number;
  if (role === 'super-admin') {
    roleId = (await roles.getSuperAdmin()).id;
  } else if ('code' in role) {
    roleId = (await roles.findOne({ code: role.code })).id;
  } else {
    counter += 1;
    const created = await roles.create({
      name: `Test role ${counter} ${Date.now()}`,
      description: `actions: ${role.actions.join(', ') || 'none'}`,
    });
    await roles.assignPermissions(created.id, [
      ...role.actions.map((action) => ({ action, subject: null, properties: {}, conditions: [] })),
      ...(role.permissions ?? []).map((p) => ({
        action: p.action,
        subject: p.subject ?? null,
        properties: p.properties ?? {},
        conditions: [],
      })),
    ]);
    roleId = created.id;
  }

  counter += 1;
  const email = `user${counter}.${Date.now()}@example.test`;
  const password = 'Test-password-1';
  await strapi.service('admin::user').create({
    email,
    firstname: 'Test',
    lastname: `User ${counter}`,
    password,
    isActive: true,
    roles: [roleId],
  });
  const res = await app.http().post('/admin/login').send({ email, password });
  if (res.status !== 200)
    throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { email, token: res.body.data.token };
}

/** The dashboard overview of the days `from` to `to` (YYYY-MM-DD) as `admin` reads it. */
export async function overviewAs(
  app: TestApp,
  admin: AdminSession,
  from: string,
  to: string
): Promise<OverviewResponse['data']> {
  const res = await app
    .http()
    .get(`/usage-analytics/overview?from=${from}&to=${to}`)
    .set('Authorization', `Bearer ${admin.token}`);
  expect(res.status).toBe(200);
  return res.body.data;
}
