import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import type { ReportRole, ReportSettings } from '../../../shared/contracts/report';
import { PLUGIN_ID } from '../../../shared/permissions';

export const DEFAULT_REPORT_SETTINGS: ReportSettings = {
  enabled: false,
  weekday: 1,
  hour: 8,
  roleIds: [],
};

export const reportSettingsSchema = z.strictObject(
  {
    enabled: z.boolean({ message: 'must be true or false' }),
    weekday: z
      .number({ message: 'must be a number' })
      .int({ message: 'must be 1 (Monday) to 7 (Sunday)' })
      .min(1, { message: 'must be 1 (Monday) to 7 (Sunday)' })
      .max(7, { message: 'must be 1 (Monday) to 7 (Sunday)' }),
    hour: z
      .number({ message: 'must be a number' })
      .int({ message: 'must be a whole hour from 0 to 23' })
      .min(0, { message: 'must be a whole hour from 0 to 23' })
      .max(23, { message: 'must be a whole hour from 0 to 23' }),
    roleIds: z
      .array(z.number().int().positive(), { message: 'must be a list of admin role ids' })
      .max(100),
  },
  { message: 'the body must be a JSON object of report settings' }
);

/**
 * The weekly report's settings, in Strapi's plugin store (the core store table, no migration):
 * whether it is sent, when, and to which admin roles. No address is stored; the recipients are
 * the active admins of those roles when the report goes out.
 */
const createReportSettings = ({ strapi }: { strapi: Core.Strapi }) => {
  const store = () => strapi.store({ type: 'plugin', name: PLUGIN_ID, key: 'report' });

  return {
    async get(): Promise<ReportSettings> {
      const parsed = reportSettingsSchema.safeParse(await store().get({}));
      return parsed.success ? (parsed.data as ReportSettings) : { ...DEFAULT_REPORT_SETTINGS };
    },

    async set(settings: ReportSettings): Promise<void> {
      await store().set({ value: settings });
    },

    /** The admin roles, with how many active admins each has now. */
    async roles(): Promise<ReportRole[]> {
      const roles = (await strapi.db.query('admin::role').findMany({
        select: ['id', 'name'],
        populate: { users: { select: ['id', 'isActive'] } },
        orderBy: { id: 'asc' },
      })) as Array<{ id: number; name: string; users?: Array<{ isActive: boolean }> }>;
      return roles.map((r) => ({
        id: r.id,
        name: r.name,
        activeAdmins: (r.users ?? []).filter((u) => u.isActive).length,
      }));
    },

    /** E-mail addresses of the active admins of `roleIds`, read now (never stored). */
    async recipients(roleIds: number[]): Promise<string[]> {
      if (!roleIds.length) return [];
      const users = (await strapi.db.query('admin::user').findMany({
        where: { isActive: true, roles: { id: { $in: roleIds } } },
        select: ['email'],
      })) as Array<{ email: string }>;
      return [...new Set(users.map((u) => u.email).filter(Boolean))].sort();
    },
  };
};

export type ReportSettingsService = ReturnType<typeof createReportSettings>;
export default createReportSettings;
