import type { Knex } from 'knex';
import { PERMISSIONS } from '../../shared/permissions';
import { adminSession, type AdminSession } from '../helpers/admin';
import { BROWSER_UA, flushPlugin, publishArticle } from '../helpers/content';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../helpers/smtp-sink';
import { bootApp, type TestApp } from '../helpers/strapi';
import { DAY_MS, HOUR_MS, MINUTE_MS, isoDay } from '../../shared/time';

const ARTICLE = 'api::article.article';

describe('weekly report by e-mail, through Strapi’s email plugin to a real SMTP server', () => {
  let smtp: SmtpSink;
  let app: TestApp;
  let knex: Knex;
  let admin: AdminSession;
  let editors: string[];
  let editorRoleId: number;
  let tips: string;
  let quiet: string;
  let unseen: string;
  const today = Date.now() - (Date.now() % DAY_MS);
  // The scheduled run the test drives: tomorrow, so that today is the last day of its week.
  const tomorrow = new Date(today + DAY_MS);
  const sendAt = today + DAY_MS + 9 * HOUR_MS + MINUTE_MS; // tomorrow 09:01 UTC
  const service = (name: string) => app.strapi.plugin('usage-analytics').service(name);
  const asAdmin = (req: ReturnType<ReturnType<TestApp['http']>['get']>, session = admin) =>
    req.set('Authorization', `Bearer ${session.token}`);

  /** A pageview through the collector, at `ts` (with that day's salt), as the tracker records. */
  function view(documentId: string, ts: number, visitor: number) {
    const outcome = service('collector').record(
      {
        kind: 'pageview',
        source: 'tracker',
        ts,
        path: `/blog/${documentId}`,
        contentType: ARTICLE,
        documentId,
        locale: 'en',
      },
      { ip: `203.0.113.${visitor}`, userAgent: BROWSER_UA, optOut: false }
    );
    expect(outcome).toEqual({ recorded: true });
  }

  beforeAll(async () => {
    smtp = await startSmtpSink();
    app = await bootApp({ env: { TEST_SMTP_PORT: String(smtp.port) } });
    knex = app.strapi.db.connection as unknown as Knex;
    admin = await adminSession(app, 'super-admin');
    editorRoleId = (await app.strapi.service('admin::role').findOne({ code: 'strapi-editor' })).id;
    editors = [
      (await adminSession(app, { code: 'strapi-editor' })).email,
      (await adminSession(app, { code: 'strapi-editor' })).email,
    ].sort();
    // An inactive editor and an active author: neither receives it.
    await app.strapi.service('admin::user').create({
      email: 'inactive.editor@example.test',
      firstname: 'Inactive',
      lastname: 'Editor',
      isActive: false,
      roles: [editorRoleId],
    });
    await adminSession(app, { code: 'strapi-author' });

    tips = await publishArticle(app, 'Tips & <tricks>');
    quiet = await publishArticle(app, 'Quiet story');
    // Published today (inside the week reported tomorrow), never viewed.
    unseen = await publishArticle(app, 'Nobody read me');

    // The week before the scheduled run's week (7 days ago): tips 1 view, quiet 4 views.
    const before = today - 7 * DAY_MS + 10 * HOUR_MS;
    view(tips, before, 1);
    for (let v = 1; v <= 4; v += 1) view(quiet, before + v * MINUTE_MS, v);
    // The week reported tomorrow: tips 6 views by 3 visitors yesterday, quiet 2 views today.
    for (let i = 0; i < 6; i += 1)
      view(tips, today - DAY_MS + HOUR_MS + i * MINUTE_MS, (i % 3) + 1);
    view(quiet, today + MINUTE_MS, 7);
    view(quiet, today + 120_000, 8);
    await flushPlugin(app);
    await service('rollup').runOnce();

    // Requests for the health figures: three server errors among them.
    for (let i = 0; i < 3; i += 1) {
      expect((await app.http().get('/api/probe/fail')).status).toBe(500);
    }
    for (let i = 0; i < 5; i += 1) {
      expect((await app.http().get('/api/probe/slow?ms=0')).status).toBe(200);
    }
  });
  afterAll(async () => {
    await app?.stop();
    await smtp?.close();
  });

  it('is off by default, and only admins with the settings permission change it or send a test', async () => {
    const res = await asAdmin(app.http().get('/usage-analytics/report-settings'));
    expect(res.status).toBe(200);
    expect(res.body.data.settings).toEqual({ enabled: false, weekday: 1, hour: 8, roleIds: [] });
    expect(res.body.data.emailProvider).toBe('nodemailer');
    const editorRole = res.body.data.roles.find((r: { id: number }) => r.id === editorRoleId);
    expect(editorRole).toMatchObject({ name: 'Editor', activeAdmins: 2 });
    // Off: not even the chosen day and hour sends anything.
    const monday8 = Date.parse('2026-12-07T08:00:00Z');
    expect(await service('report-mailer').runScheduled(monday8)).toBeNull();

    const reader = await adminSession(app, { actions: [PERMISSIONS.read] });
    expect((await asAdmin(app.http().get('/usage-analytics/report-settings'), reader)).status).toBe(
      403
    );
    const put = app
      .http()
      .put('/usage-analytics/report-settings')
      .set('Authorization', `Bearer ${reader.token}`)
      .send({ enabled: true, weekday: 1, hour: 8, roleIds: [editorRoleId] });
    expect((await put).status).toBe(403);
    const test = app
      .http()
      .post('/usage-analytics/report/test')
      .set('Authorization', `Bearer ${reader.token}`);
    expect((await test).status).toBe(403);
    expect(smtp.messages).toHaveLength(0);

    const bad = await app
      .http()
      .put('/usage-analytics/report-settings')
      .set('Authorization', `Bearer ${admin.token}`)
      .send({ enabled: true, weekday: 8, hour: 24, roleIds: [999999] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/weekday.*1 \(Monday\) to 7 \(Sunday\)/);
  });

  it('sends the week’s figures once, from one instance, at the day and hour set', async () => {
    const weekday = tomorrow.getUTCDay() || 7;
    const saved = await app
      .http()
      .put('/usage-analytics/report-settings')
      .set('Authorization', `Bearer ${admin.token}`)
      .send({ enabled: true, weekday, hour: 9, roleIds: [editorRoleId] });
    expect(saved.status).toBe(200);
    expect(saved.body.data.settings).toEqual({
      enabled: true,
      weekday,
      hour: 9,
      roleIds: [editorRoleId],
    });

    // Another hour of the right day: nothing.
    expect(await service('report-mailer').runScheduled(sendAt - 2 * HOUR_MS)).toBeNull();
    // Another instance holds the job's lease: nothing here.
    await knex('ua_jobs')
      .insert({
        name: 'weekly-report',
        watermark: 0,
        lease_owner: 'another-instance',
        // Leases are timed by the run's clock (`sendAt`): held for 10 more minutes.
        lease_expires_at: sendAt + 600_000,
        updated_at: Date.now(),
      })
      .onConflict('name')
      .merge();
    expect(await service('report-mailer').runScheduled(sendAt)).toBeNull();
    await knex('ua_jobs').where({ name: 'weekly-report' }).update({ lease_expires_at: 0 });

    // The health figures of the week, as stored (no request reaches the server from here on).
    await service('monitoring').flush(true);
    const weekFrom = today + DAY_MS - 7 * DAY_MS;
    const [sums] = await knex('ua_request_stats')
      .where('minute', '>=', weekFrom)
      .andWhere('minute', '<', today + DAY_MS)
      .select(knex.raw('SUM(count) AS requests'), knex.raw('SUM(error_count) AS errors'));
    const requests = Number(sums.requests);
    expect(Number(sums.errors)).toBe(3);

    const sent = await service('report-mailer').runScheduled(sendAt);
    expect(sent).toMatchObject({ recipients: 2 });
    const mails = await smtp.waitFor(2);
    expect(
      mails
        .map((m) => m.rcptTo)
        .flat()
        .sort()
    ).toEqual(editors);
    for (const mail of mails) expectWeek(mail, requests);

    // Once a week: a later check in the same hour, on this or another instance, sends nothing.
    await knex('ua_jobs').where({ name: 'weekly-report' }).update({ lease_owner: null });
    expect(await service('report-mailer').runScheduled(sendAt + 5 * MINUTE_MS)).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.messages).toHaveLength(2);
    const settings = await asAdmin(app.http().get('/usage-analytics/report-settings'));
    expect(settings.body.data.lastSentAt).toBe(new Date(sendAt).toISOString());
  });

  function expectWeek(mail: ReceivedMail, requests: number) {
    const from = isoDay(today - 6 * DAY_MS);
    const to = isoDay(today);
    expect(mail.from).toBe('analytics@cms.example');
    expect(mail.subject).toBe(`Usage Analytics: week of ${from} to ${to}`);
    const errorRate = `Error rate: ${((3 / requests) * 100).toFixed(2)} % of ${requests.toLocaleString('en-US')} requests`;
    // Views 8 (6 + 2) against 5 (1 + 4); visitors 3 yesterday + 2 today against 4 seven days ago.
    for (const body of [mail.text, mail.html]) {
      expect(body).toContain('Views: 8 (+60 % on the week before)');
      expect(body).toContain('Visitors: 5 (+25 % on the week before)');
      expect(body).toContain(errorRate);
    }
    expect(mail.text).toContain(
      'Top content\n1. Tips & <tricks>: 6 views, 3 visitors\n2. Quiet story: 2 views, 2 visitors'
    );
    expect(mail.text).toContain('Rising\n1. Tips & <tricks>: 6 views (+5 on the week before)');
    expect(mail.text).toMatch(
      new RegExp(`New and never viewed\\n1\\. Nobody read me \\(published ${to}\\)`)
    );
    expect(mail.text).not.toContain('Quiet story: 2 views (');
    expect(mail.html).toContain('<li>Tips &amp; &lt;tricks&gt;: 6 views, 3 visitors</li>');
    expect(mail.html).not.toContain('<tricks>');
    expect(mail.text).toMatch(/Availability: (\d+\.\d{3} %|not measured)/);
    void unseen;
    void quiet;
  }

  it('sends a test report now, of the 7 days before today, to the same recipients', async () => {
    const res = await app
      .http()
      .post('/usage-analytics/report/test')
      .set('Authorization', `Bearer ${admin.token}`);
    expect(res.status).toBe(200);
    expect(res.body.data.recipients).toBe(2);
    const mails = (await smtp.waitFor(4)).slice(2);
    expect(
      mails
        .map((m) => m.rcptTo)
        .flat()
        .sort()
    ).toEqual(editors);
    // Its week ends yesterday: tips 6 + 1, quiet 4 (seven days ago); nothing of today.
    expect(mails[0].text).toContain('Views: 11 (new on the week before)');
    expect(mails[0].text).toContain('Visitors: 7 (new on the week before)');
    expect(mails[0].text).toContain('1. Tips & <tricks>: 7 views, 4 visitors');
    expect(mails[0].text).toContain('2. Quiet story: 4 views, 4 visitors');
  });

  it('refuses a test report when no active admin would receive it', async () => {
    await app
      .http()
      .put('/usage-analytics/report-settings')
      .set('Authorization', `Bearer ${admin.token}`)
      .send({ enabled: true, weekday: 1, hour: 8, roleIds: [] });
    const res = await app
      .http()
      .post('/usage-analytics/report/test')
      .set('Authorization', `Bearer ${admin.token}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/no recipient/);
  });
});
