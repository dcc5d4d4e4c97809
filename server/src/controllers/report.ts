import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type {
  ReportSettings,
  ReportSettingsResponse,
  ReportTestResponse,
} from '../../../shared/contracts/report';
import { describeIssues } from '../collection/tracker-payload';
import { getService } from '../get-service';
import { reportSettingsSchema } from '../services/report-settings';
import { rejectRequest } from './respond';

/** The weekly report's settings and its "send a test report now" (admin, `settings` permission). */
const createReportController = ({ strapi }: { strapi: Core.Strapi }) => {
  async function describe(): Promise<ReportSettingsResponse['data']> {
    const settings = getService(strapi, 'report-settings');
    const lastSent = await getService(strapi, 'report-mailer').lastSent();
    const provider = strapi.plugin('email')?.config('provider');
    return {
      settings: await settings.get(),
      roles: await settings.roles(),
      emailProvider: typeof provider === 'string' ? provider : null,
      lastSentAt: lastSent ? new Date(lastSent).toISOString() : null,
    };
  }

  return {
    async get(ctx: Context) {
      ctx.body = { data: await describe() } satisfies ReportSettingsResponse;
    },

    async update(ctx: Context) {
      const body = (ctx.request as unknown as { body?: unknown }).body;
      const parsed = reportSettingsSchema.safeParse(body);
      if (!parsed.success) return rejectRequest(ctx, 400, describeIssues(parsed.error));
      const settings = parsed.data as ReportSettings;
      const known = new Set((await getService(strapi, 'report-settings').roles()).map((r) => r.id));
      const unknown = settings.roleIds.filter((id) => !known.has(id));
      if (unknown.length) {
        return rejectRequest(ctx, 400, `roleIds: no admin role with id ${unknown.join(', ')}`);
      }
      await getService(strapi, 'report-settings').set(settings);
      const admin = ctx.state?.user as { id?: number } | undefined;
      strapi.log.info(
        `[usage-analytics] weekly report settings changed by admin ${admin?.id ?? '?'}: ${JSON.stringify(settings)}`
      );
      ctx.body = { data: await describe() } satisfies ReportSettingsResponse;
    },

    async test(ctx: Context) {
      try {
        ctx.body = {
          data: await getService(strapi, 'report-mailer').send(),
        } satisfies ReportTestResponse;
      } catch (error) {
        rejectRequest(ctx, 400, error instanceof Error ? error.message : String(error));
      }
    },
  };
};

export default createReportController;
