import http from 'node:http';
import fc from 'fast-check';
import type { Knex } from 'knex';

/**
 * Input no attacker is needed for (issue #14): what crawlers, misconfigured proxies and OAuth
 * login pages send every day. Shared by the reliability suite's hostile-input run.
 */

/** Percent-encodes every byte (lone surrogates become U+FFFD), sometimes with broken escapes. */
export const pct = (s: string): string =>
  [...Buffer.from(s)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('') +
  (s.length % 3 === 0 ? '%E0%A4%A' : s.length % 3 === 1 ? '%C0%AF%' : '');

/**
 * `?locale=` values as they appear in a query string: too long, too many subtags, quotes and
 * comments, NUL bytes, emoji, a lone surrogate's bytes, case variants, locales the app does not
 * have, and random strings.
 */
export const oddLocale: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'x'.repeat(40),
    'en-abcdefgh-abcdefgh',
    encodeURIComponent("en' OR '1'='1'; -- "),
    encodeURIComponent("fr'); DROP TABLE ua_events; /*"),
    encodeURIComponent('en/**/--'),
    '%00',
    'en%00',
    encodeURIComponent('😀'),
    encodeURIComponent('🇫🇷'),
    '%ED%A0%80',
    encodeURIComponent('\u202Een'),
    encodeURIComponent('é'.repeat(300)),
    'en',
    'EN',
    'fr',
    'fr-CA',
    'de',
    '*',
    'all',
    ''
  ),
  fc.stringMatching(/^[a-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$/),
  fc.string({ maxLength: 40 }).map(pct),
  fc.string({ unit: 'binary', maxLength: 60 }).map(pct)
);

/** Methods Node's HTTP parser accepts beyond the usual nine: all stored as `OTHER`. */
export const LONG_METHODS = http.METHODS.filter(
  (m) =>
    ![
      'GET',
      'HEAD',
      'POST',
      'PUT',
      'DELETE',
      'PATCH',
      'OPTIONS',
      'TRACE',
      // A tunnel, not a request (and fetch refuses to send it).
      'CONNECT',
    ].includes(m)
);

/**
 * Every token and e-mail address sent below carries one of these, and nothing else does: if one
 * is found in a plugin table, personal data got through.
 */
export const TOKEN_MARK = 'zq7tok';
export const EMAIL_MARK = 'zq7mail';

const token = fc.stringMatching(/^[A-Za-z0-9_-]{4,32}$/).map((s) => `${TOKEN_MARK}${s}`);
const jwt = fc
  .tuple(
    fc.stringMatching(/^[A-Za-z0-9_-]{8,40}$/),
    fc.stringMatching(/^[A-Za-z0-9_-]{8,60}$/),
    fc.stringMatching(/^[A-Za-z0-9_-]{0,43}$/)
  )
  .map(([header, payload, signature]) => `eyJ${TOKEN_MARK}${header}.${payload}.${signature}`);
const email = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9._+-]{0,16}$/),
    fc.constantFrom('example.com', 'mail.example.org', 'sub.domain.co.uk')
  )
  .map(([local, domain]) => `${EMAIL_MARK}${local}@${domain}`);
const enc = encodeURIComponent;
const UMAMI_WEBSITE = '50429a93-8479-4073-be80-d5d29c09c2ec';

export interface PersonalDataEvent {
  path: string;
  body: string;
}

/**
 * Events of the three trackers carrying tokens in fragments and queries and e-mail addresses in
 * paths, UTM values, referrers, names, titles and props, each valid (answered 202 or 200).
 */
export const personalDataEvent: fc.Arbitrary<PersonalDataEvent> = fc
  .tuple(fc.integer({ min: 0, max: 6 }), email, token, token, token, jwt)
  .map(([shape, mail, t1, t2, t3, jwtToken]) => {
    const track = (body: unknown) => ({
      path: '/api/usage-analytics/track',
      body: JSON.stringify(body),
    });
    const plausible = (body: unknown) => ({
      path: '/api/usage-analytics/plausible/api/event',
      body: JSON.stringify({ d: 'site.example', ...(body as object) }),
    });
    const umami = (payload: unknown) => ({
      path: '/api/usage-analytics/umami/api/send',
      body: JSON.stringify({
        type: 'event',
        payload: { website: UMAMI_WEBSITE, hostname: 'site.example', ...(payload as object) },
      }),
    });
    switch (shape) {
      case 0:
        return track({
          type: 'pageview',
          url:
            `https://site.example/users/${mail}/profile?utm_source=${enc(mail)}&utm_medium=email` +
            `&utm_campaign=${enc(`spring?token=${t1}`)}#access_token=${t2}&state=${t3}&token_type=bearer`,
          referrer: `https://jane:${t1}@mail.example/inbox?email=${enc(mail)}`,
        });
      case 1:
        return track({
          type: 'event',
          url: `https://site.example/account/${mail}#/settings?code=${t1}`,
          name: `invite sent to ${mail}`,
          props: {
            email: mail,
            token: t2,
            note: `write to ${enc(mail)}`,
            callback: `https://site.example/cb?code=${t3}&state=${t1}`,
            plan: 'pro',
          },
        });
      case 2:
        return track({
          type: 'pageview',
          url: `https://site.example/reset/${jwtToken}?code=${t1}`,
        });
      case 3:
        return plausible({
          n: 'pageview',
          u: `https://site.example/app#access_token=${t1}&state=${t2}&id_token=${jwtToken}`,
          h: 1,
        });
      case 4:
        return plausible({
          n: `Signup ${mail}`,
          u: `https://site.example/users/${enc(mail)}#/callback?code=${t1}&email=${enc(mail)}`,
          h: 1,
          r: `https://mail.example/?email=${enc(mail)}`,
          p: { email: mail, password: t2, title: `Inbox of ${mail}` },
        });
      case 5:
        return umami({
          url: `/users/${mail}?utm_medium=${enc(mail)}&utm_campaign=x%26password%3D${t1}#token=${t2}`,
          title: `Profile of ${mail}`,
          referrer: `https://mail.example/?email=${enc(mail)}`,
          name: `mail ${mail}`,
          data: { email: mail, secret: t3, comment: `from ${mail}` },
        });
      default:
        return umami({ url: `/reset/${jwtToken}?utm_source=${enc(mail)}#id_token=${t1}` });
    }
  });

/** The names of the plugin's tables (`ua_…`) the database has, read from its catalogue. */
export async function pluginTableNames(knex: Knex): Promise<string[]> {
  const client = String(knex.client.config.client);
  const names: string[] = /sqlite/.test(client)
    ? (await knex.raw("select name from sqlite_master where type = 'table'")).map(
        (r: { name: string }) => r.name
      )
    : /mysql/.test(client)
      ? (
          await knex.raw(
            'select table_name as name from information_schema.tables where table_schema = database()'
          )
        )[0].map((r: { name: string }) => r.name)
      : (
          await knex.raw(
            'select table_name as name from information_schema.tables where table_schema = current_schema()'
          )
        ).rows.map((r: { name: string }) => r.name);
  return names.filter((name) => name.startsWith('ua_')).sort();
}

export interface Finding {
  table: string;
  needle: string;
  /** The text around the first occurrence in that table. */
  around: string;
}

/**
 * For each plugin table and needle (a string, found in any case, or a pattern), the first row
 * whose text contains it; and how many rows were read.
 */
export async function findInPluginTables(
  knex: Knex,
  needles: Array<string | RegExp>
): Promise<{ found: Finding[]; scanned: number }> {
  const found = new Map<string, Finding>();
  let scanned = 0;
  for (const table of await pluginTableNames(knex)) {
    for (const row of await knex(table).select('*')) {
      scanned += 1;
      const text = JSON.stringify(row);
      for (const needle of needles) {
        const at =
          typeof needle === 'string'
            ? text.toLowerCase().indexOf(needle.toLowerCase())
            : text.search(needle);
        const key = `${table} ${needle}`;
        if (at >= 0 && !found.has(key))
          found.set(key, {
            table,
            needle: String(needle),
            around: text.slice(Math.max(0, at - 40), at + 80),
          });
      }
    }
  }
  return { found: [...found.values()], scanned };
}
