import type { RBACMiddleware } from '@strapi/strapi/admin';
import { PERMISSIONS } from '../../../../shared/permissions';
import { denyListViewAccess, listViewAccess, loadListViewAccess } from './list-view-access';

const CONTENT_MANAGER = /\/content-manager\//;

/**
 * Makes the list view column's answer known before a list view draws its headers. Strapi runs
 * RBAC middlewares on every permission check, with the user's permissions and the path: the
 * answer starts loading at the first check of a user with `read` (usually on the first page
 * after login), and checks made inside the Content Manager — among them the list view's own,
 * which it awaits before it renders — wait for it. Roles without `read` are answered at once.
 */
export const listViewRbacMiddleware: RBACMiddleware = (ctx) => (next) => async (permissions) => {
  const user = ctx.user?.id === undefined ? null : String(ctx.user.id);
  // Strapi runs checks while the user and their permissions are still loading: no answer yet.
  if (user !== null && ctx.permissions.length > 0) {
    if (!ctx.permissions.some((p) => p.action === PERMISSIONS.read)) {
      denyListViewAccess(user);
    } else {
      const loaded = loadListViewAccess(user);
      // A known answer is used while it refreshes; an unknown one is awaited in the CM.
      if (listViewAccess(user) === null && CONTENT_MANAGER.test(ctx.pathname)) await loaded;
    }
  }
  return next(permissions);
};
