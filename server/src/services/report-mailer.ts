import type { Core } from '@strapi/strapi';
import { resolveHealthRange } from '../monitoring/health-range';
import { DAY_MS, HOUR_MS, isoDay } from '../../../shared/time';
import type { ReportFigures } from '../report/report-figures';
import { renderReport } from '../report/render-report';
import { publishedTitles, titleOf } from '../stats/entry-titles';
import type { Range } from '../stats/stats-query';
import { servicesUsed } from '../get-service';

export const REPORT_JOB = 'weekly-report';
const LEASE_MS = 10 * 60_000;
const TOP = 5;
const NEVER_VIEWED = 10;

export interface SendResult {
  recipients: number;
  sentAt: string;
}

/**
 * The weekly report: the figures of the 7 whole UTC days before the day it is sent (from the
 * stats, insights and health services), rendered as text and HTML and sent through Strapi's
 * email plugin, with whatever provider the site configured, to each active admin of the roles
 * chosen in the settings. The scheduled send runs on one instance (the job lease) once per week.
 */
const createReportMailer = ({ strapi }: { strapi: Core.Strapi }) => {
  const use = servicesUsed(strapi, ['health', 'insights', 'job-lease', 'report-settings', 'stats']);
  const settings = () => use('report-settings');

  function dashboardUrl(): string | null {
    const admin = strapi.config.get<string>('admin.absoluteUrl', '');
    return /^https?:\/\//.test(admin)
      ? `${admin.replace(/\/$/, '')}/plugins/usage-analytics`
      : null;
  }

  async function figures(now: number): Promise<ReportFigures> {
    const to = now - (now % DAY_MS);
    const range: Range = { from: to - 7 * DAY_MS, to, interval: 'day', days: 7 };
    const healthRange = resolveHealthRange(
      {
        from: new Date(range.from).toISOString(),
        to: new Date(range.to).toISOString(),
        interval: 'day',
      },
      now
    );
    if (typeof healthRange === 'string') throw new Error(healthRange);
    const [overview, insights, health] = await Promise.all([
      use('stats').overview(range, {}),
      use('insights').insights(range, {}, now),
      use('health').report(healthRange, now),
    ]);
    // An e-mail goes outside the admin panel: published titles only, never a draft's.
    const titles = await publishedTitles(strapi, [
      ...overview.topContent,
      ...insights.movers.gains,
      ...insights.neverViewed,
    ]);
    return {
      from: isoDay(range.from),
      to: isoDay(range.to - DAY_MS),
      views: overview.totals.pageviews,
      previousViews: overview.previous.pageviews,
      visitors: overview.totals.visitors,
      previousVisitors: overview.previous.visitors,
      top: overview.topContent.slice(0, TOP).map((e) => ({
        title: titleOf(titles, e),
        contentType: e.contentType,
        documentId: e.documentId,
        views: e.views,
        visitors: e.visitors,
      })),
      rising: insights.movers.gains.slice(0, TOP).map((m) => ({
        title: titleOf(titles, m),
        contentType: m.contentType,
        documentId: m.documentId,
        current: m.current,
        previous: m.previous,
        change: m.change,
      })),
      neverViewed: insights.neverViewed.slice(0, NEVER_VIEWED).map((e) => ({
        title: titleOf(titles, e),
        contentType: e.contentType,
        documentId: e.documentId,
        publishedAt: e.publishedAt,
      })),
      availability: health.uptime.availability,
      requests: health.totals.requests,
      errorRate: health.errorRate,
      dashboardUrl: dashboardUrl(),
    };
  }

  /** Sends the report of the week before `now` to the chosen roles' active admins. */
  async function send(now = Date.now()): Promise<SendResult> {
    const { roleIds } = await settings().get();
    const recipients = await settings().recipients(roleIds);
    if (!recipients.length) {
      throw new Error('no recipient: choose admin roles with active admins in the report settings');
    }
    const mail = renderReport(await figures(now));
    const email = strapi.plugin('email').service('email');
    let sent = 0;
    for (const to of recipients) {
      try {
        await email.send({ to, subject: mail.subject, text: mail.text, html: mail.html });
        sent += 1;
      } catch (error) {
        strapi.log.warn(
          `[usage-analytics] the weekly report could not be sent to one recipient: ${error instanceof Error ? error.message : error}`
        );
      }
    }
    if (!sent) throw new Error('the email provider accepted no message (see the log)');
    return { recipients: sent, sentAt: new Date().toISOString() };
  }

  return {
    figures,
    send,

    /**
     * The scheduled send, checked every few minutes: in the hour (UTC) of the day the settings
     * name, the instance that takes the lease sends the report, unless it went out in that hour
     * already. Null when nothing was sent here.
     */
    async runScheduled(now = Date.now()): Promise<SendResult | null> {
      const current = await settings().get();
      const day = new Date(now);
      if (!current.enabled) return null;
      if ((day.getUTCDay() || 7) !== current.weekday || day.getUTCHours() !== current.hour) {
        return null;
      }
      const slot = now - (now % HOUR_MS);
      const lease = use('job-lease');
      if (!(await lease.acquire(REPORT_JOB, LEASE_MS, now))) return null;
      let completedAt: number | undefined;
      try {
        if (((await lease.lastCompleted(REPORT_JOB)) ?? 0) >= slot) return null;
        const result = await send(now);
        completedAt = now;
        return result;
      } finally {
        await lease.release(REPORT_JOB, completedAt);
      }
    },

    /** When the scheduled report last went out (epoch ms), or null. */
    lastSent: () => use('job-lease').lastCompleted(REPORT_JOB),
  };
};

export type ReportMailerService = ReturnType<typeof createReportMailer>;
export default createReportMailer;
