import type { Core } from '@strapi/strapi';
import { writeDemoHealthHistory } from './demo-health-history';
import { writeDemoHistory } from './demo-history';
import { seedContent } from './seed';

const PUBLIC_ACTIONS = [
  'api::article.article.find',
  'api::article.article.findOne',
  'api::page.page.find',
  'api::page.page.findOne',
  'api::homepage.homepage.find',
];

async function ensureLocale(strapi: Core.Strapi, code: string, name: string) {
  const locales = strapi.plugin('i18n').service('locales');
  if (!(await locales.findByCode(code))) await locales.create({ code, name });
}

async function grantPublicReads(strapi: Core.Strapi) {
  const role = await strapi.db
    .query('plugin::users-permissions.role')
    .findOne({ where: { type: 'public' } });
  if (!role) return;
  const permissions = strapi.db.query('plugin::users-permissions.permission');
  for (const action of PUBLIC_ACTIONS) {
    const existing = await permissions.findOne({ where: { action, role: role.id } });
    if (!existing) await permissions.create({ data: { action, role: role.id } });
  }
}

export default {
  register() {},
  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await ensureLocale(strapi, 'fr', 'French (fr)');
    await grantPublicReads(strapi);
    if (process.env.SEED_CONTENT !== 'true') return;
    const historyDays = Number(process.env.DEMO_HISTORY_DAYS ?? 0);
    const fresh = (await strapi.documents('api::article.article').count({})) === 0;
    if (historyDays > 0 && fresh) {
      const started = Date.now();
      const hits = await writeDemoHistory(strapi, historyDays, () => seedContent(strapi));
      strapi.log.info(
        `[demo] wrote ${historyDays} days of history (${hits} hits) in ${Date.now() - started} ms`
      );
      const healthStarted = Date.now();
      const health = await writeDemoHealthHistory(strapi, historyDays);
      if (health) {
        strapi.log.info(
          `[demo] wrote the monitoring history up to ${new Date(health.end).toISOString()} ` +
            `(${health.requests} requests, ${health.samples} resource samples) in ` +
            `${Date.now() - healthStarted} ms`
        );
      }
    } else {
      await seedContent(strapi);
    }
  },
};
