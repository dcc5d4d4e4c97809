import type { Knex } from 'knex';
import { BROWSER_UA } from '../helpers/content';
import { bootApp, type TestApp } from '../helpers/strapi';

// Strapi runs the plugin's destroy (its last flush) before it closes its HTTP server: an event
// that arrives in between must be in the database by the time it is answered 202.
describe('an event arriving while Strapi shuts down', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootApp({ env: { TRUST_PROXY: 'true' } });
  });
  afterAll(() => app?.stop());

  it('is written before it is acknowledged', async () => {
    const knex = app.strapi.db.connection as unknown as Knex;
    await app.strapi.plugin('usage-analytics').service('event-pipeline').stop();
    for (let i = 0; i < 5; i += 1) {
      const res = await app
        .http()
        .post('/api/usage-analytics/track')
        .set({
          'content-type': 'text/plain',
          'user-agent': BROWSER_UA,
          'x-forwarded-for': `198.51.100.${70 + i}`,
        })
        .send(JSON.stringify({ type: 'pageview', url: `https://site.example/after-stop/${i}` }));
      expect(res.status).toBe(202);
      // Read at once, with no flush or wait in between.
      expect(await knex('ua_events').where({ path: `/after-stop/${i}` })).toHaveLength(1);
    }
  });
});
