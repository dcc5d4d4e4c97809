import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type {
  SettingsConflictResponse,
  SettingsErrorResponse,
  SettingsResponse,
} from '../../../shared/contracts/settings';
import { getService } from '../get-service';
import type { AdminUser } from '../services/settings';

/** GET and PUT /usage-analytics/settings (admin, `settings` permission). */
const createSettingsController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async get(ctx: Context) {
    ctx.body = { data: getService(strapi, 'settings').describe() } satisfies SettingsResponse;
  },

  async update(ctx: Context) {
    const admin = (ctx.state?.user ?? {}) as AdminUser;
    const body = (ctx.request as unknown as { body?: unknown }).body;
    const result = await getService(strapi, 'settings').update(body, admin);
    if (result.ok) {
      ctx.body = { data: result.data } satisfies SettingsResponse;
      return;
    }
    if ('conflict' in result) {
      ctx.status = 409;
      ctx.body = {
        data: null,
        error: {
          status: 409,
          name: 'ConflictError',
          message:
            'The settings were saved meanwhile (by another admin or another tab); nothing was ' +
            'changed. Here are the current settings: make your change again on these.',
          details: { current: result.data },
        },
      } satisfies SettingsConflictResponse;
      return;
    }
    ctx.status = 400;
    ctx.body = {
      data: null,
      error: {
        status: 400,
        name: 'ValidationError',
        message: result.issues
          .map((issue) => (issue.key ? `"${issue.key}" ${issue.message}` : issue.message))
          .join('; '),
        details: {
          errors: result.issues.map((issue) => ({
            path: issue.key ? [issue.key] : [],
            message: issue.message,
          })),
        },
      },
    } satisfies SettingsErrorResponse;
  },
});

export default createSettingsController;
