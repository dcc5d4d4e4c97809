import type { Core } from '@strapi/strapi';
import { schedule, type ScheduledTask } from 'node-cron';
import { servicesUsed } from '../get-service';

const REPORT_CHECK_CRON = '*/5 * * * *';

/**
 * The plugin's own cron jobs (node-cron; independent of the app's `server.cron`): rollup every
 * minute by default, retention once a day, the weekly report's check every 5 minutes. Each run takes the job's lease, so with several
 * instances only one does the work.
 */
const createScheduler = ({ strapi }: { strapi: Core.Strapi }) => {
  const use = servicesUsed(strapi, [
    'metrics',
    'monitoring-rollup',
    'plugin-config',
    'report-mailer',
    'retention',
    'rollup',
  ]);
  const tasks: ScheduledTask[] = [];

  const guarded = (name: string, run: () => Promise<unknown>) => async () => {
    try {
      const started = performance.now();
      // null: another instance holds the lease, nothing ran here.
      if ((await run()) !== null) {
        use('metrics').recordJob(name, (performance.now() - started) / 1000);
      }
    } catch (error) {
      strapi.log.warn(
        `[usage-analytics] ${name} failed: ${error instanceof Error ? error.message : error}`
      );
    }
  };

  return {
    start(): void {
      const config = use('plugin-config').get();
      tasks.push(
        schedule(
          config.rollup.cron,
          guarded('rollup', () => use('rollup').runOnce()),
          {
            name: 'usage-analytics-rollup',
            noOverlap: true,
          }
        ),
        schedule(
          config.rollup.cron,
          guarded('monitoring-rollup', () => use('monitoring-rollup').runOnce()),
          { name: 'usage-analytics-monitoring-rollup', noOverlap: true }
        ),
        // The weekly report: a check every 5 minutes; it sends only in the hour the settings name.
        schedule(
          REPORT_CHECK_CRON,
          guarded('weekly-report', () => use('report-mailer').runScheduled()),
          { name: 'usage-analytics-weekly-report', noOverlap: true }
        ),
        schedule(
          config.retention.cron,
          guarded('retention', () => use('retention').runOnce()),
          {
            name: 'usage-analytics-retention',
            noOverlap: true,
          }
        )
      );
    },
    async stop(): Promise<void> {
      for (const task of tasks.splice(0)) await task.destroy();
    },
  };
};

export type SchedulerService = ReturnType<typeof createScheduler>;
export default createScheduler;
