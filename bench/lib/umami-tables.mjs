// Umami's PostgreSQL event storage, for the storage comparison of `npm run bench:rollup`: its
// `session`, `website_event` and `event_data` tables with their indexes, as plain DDL written
// from Umami's published Prisma schema (umami-software/umami db/postgresql/schema.prisma at
// commit 01617e8e, Umami v2: columns and indexes of those three models, without the foreign-key
// constraints, which that schema leaves to Prisma: `relationMode = "prisma"`). The same synthetic
// traffic the plugin receives is loaded into them as Umami's tracker would record it.
import crypto from 'node:crypto';
import { DAY_MS } from './rollup-data.mjs';

const DDL = [
  `CREATE TABLE session (
    session_id uuid PRIMARY KEY,
    website_id uuid NOT NULL,
    hostname varchar(100),
    browser varchar(20),
    os varchar(20),
    device varchar(20),
    screen varchar(11),
    language varchar(35),
    country char(2),
    subdivision1 varchar(20),
    subdivision2 varchar(50),
    city varchar(50),
    ip varchar(100),
    created_at timestamptz(6) DEFAULT now()
  )`,
  'CREATE UNIQUE INDEX session_session_id_key ON session (session_id)',
  'CREATE INDEX session_created_at_idx ON session (created_at)',
  'CREATE INDEX session_website_id_idx ON session (website_id)',
  'CREATE INDEX session_website_id_created_at_idx ON session (website_id, created_at)',
  ...[
    'hostname',
    'browser',
    'os',
    'device',
    'screen',
    'language',
    'country',
    'subdivision1',
    'city',
  ].map(
    (c) =>
      `CREATE INDEX session_website_id_created_at_${c}_idx ON session (website_id, created_at, ${c})`
  ),
  `CREATE TABLE website_event (
    event_id uuid PRIMARY KEY,
    website_id uuid NOT NULL,
    session_id uuid NOT NULL,
    visit_id uuid NOT NULL,
    created_at timestamptz(6) DEFAULT now(),
    url_path varchar(500) NOT NULL,
    url_query varchar(500),
    referrer_path varchar(500),
    referrer_query varchar(500),
    referrer_domain varchar(500),
    page_title varchar(500),
    event_type integer NOT NULL DEFAULT 1,
    event_name varchar(50),
    tag varchar(50)
  )`,
  'CREATE INDEX website_event_created_at_idx ON website_event (created_at)',
  'CREATE INDEX website_event_session_id_idx ON website_event (session_id)',
  'CREATE INDEX website_event_visit_id_idx ON website_event (visit_id)',
  'CREATE INDEX website_event_website_id_idx ON website_event (website_id)',
  'CREATE INDEX website_event_website_id_created_at_idx ON website_event (website_id, created_at)',
  ...['url_path', 'url_query', 'referrer_domain', 'page_title', 'event_name', 'tag'].map(
    (c) =>
      `CREATE INDEX website_event_website_id_created_at_${c}_idx ON website_event (website_id, created_at, ${c})`
  ),
  'CREATE INDEX website_event_website_id_session_id_created_at_idx ON website_event (website_id, session_id, created_at)',
  'CREATE INDEX website_event_website_id_visit_id_created_at_idx ON website_event (website_id, visit_id, created_at)',
  `CREATE TABLE event_data (
    event_data_id uuid PRIMARY KEY,
    website_id uuid NOT NULL,
    website_event_id uuid NOT NULL,
    data_key varchar(500) NOT NULL,
    string_value varchar(500),
    number_value decimal(19, 4),
    date_value timestamptz(6),
    data_type integer NOT NULL,
    created_at timestamptz(6) DEFAULT now()
  )`,
  'CREATE INDEX event_data_created_at_idx ON event_data (created_at)',
  'CREATE INDEX event_data_website_id_idx ON event_data (website_id)',
  'CREATE INDEX event_data_website_event_id_idx ON event_data (website_event_id)',
  'CREATE INDEX event_data_website_id_created_at_idx ON event_data (website_id, created_at)',
  'CREATE INDEX event_data_website_id_created_at_data_key_idx ON event_data (website_id, created_at, data_key)',
];
export const UMAMI_TABLES = ['session', 'website_event', 'event_data'];
export const UMAMI_VERSION = 'Umami v2 (db/postgresql/schema.prisma at 01617e8e)';

const SESSION_GAP_MS = 30 * 60_000;
const WEBSITE = '6d1f6c1e-5b0a-4c8e-9f57-3f3c2d1b0a99';
const uuid = () => crypto.randomUUID();
/** A stable uuid for a string (Umami derives session ids from a hash, too). */
const uuidOf = (text) => {
  const h = crypto.createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** Creates the tables in `schema` of the connection `client` (node-postgres), empty. */
export async function createUmamiTables(client, schema) {
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(`SET search_path TO ${schema}`);
  for (const statement of DDL) await client.query(statement);
}

const COLUMNS = {
  session: {
    session_id: 'uuid',
    website_id: 'uuid',
    hostname: 'text',
    browser: 'text',
    os: 'text',
    device: 'text',
    screen: 'text',
    language: 'text',
    country: 'text',
    created_at: 'timestamptz',
  },
  website_event: {
    event_id: 'uuid',
    website_id: 'uuid',
    session_id: 'uuid',
    visit_id: 'uuid',
    created_at: 'timestamptz',
    url_path: 'text',
    url_query: 'text',
    referrer_path: 'text',
    referrer_domain: 'text',
    page_title: 'text',
    event_type: 'int',
    event_name: 'text',
  },
  event_data: {
    event_data_id: 'uuid',
    website_id: 'uuid',
    website_event_id: 'uuid',
    data_key: 'text',
    string_value: 'text',
    data_type: 'int',
    created_at: 'timestamptz',
  },
};

async function insert(client, table, rows) {
  if (!rows.length) return;
  const columns = Object.entries(COLUMNS[table]);
  await client.query(
    `INSERT INTO ${table} (${columns.map(([c]) => c).join(', ')}) SELECT * FROM unnest(` +
      columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ') +
      ')',
    columns.map(([c]) => rows.map((r) => r[c] ?? null))
  );
}

/**
 * A sink for generateEvents (rows in EVENT_COLUMNS order) that writes what Umami's tracker
 * would record for them: a session per visitor and day, a visit per 30 minutes of activity, a
 * website_event per pageview (path, UTM query, referrer, title) and per custom event, an
 * event_data row per property. Umami records no engagement time and no Content API reads:
 * those events add nothing. Returns { sink, flush, counts }.
 */
export function umamiSink(client) {
  const sessions = new Map();
  const counts = { session: 0, website_event: 0, event_data: 0 };
  let buffers = { session: [], website_event: [], event_data: [] };
  const flush = async () => {
    const current = buffers;
    buffers = { session: [], website_event: [], event_data: [] };
    for (const table of UMAMI_TABLES) await insert(client, table, current[table]);
  };
  const sink = async (rows) => {
    for (const r of rows) {
      const [ts, kind, , , , , path, referrer, utmSource, utmMedium, utmCampaign] = r;
      if (kind !== 'pageview' && kind !== 'event') continue;
      const [device, browser, os, country, visitor, , , eventName, props] = r.slice(11, 20);
      const createdAt = new Date(ts).toISOString();
      const key = `${Math.floor(ts / DAY_MS)}|${visitor}`;
      let session = sessions.get(key);
      if (!session) {
        session = { id: uuidOf(key), visit: uuid(), last: ts };
        sessions.set(key, session);
        counts.session += 1;
        buffers.session.push({
          session_id: session.id,
          website_id: WEBSITE,
          hostname: 'www.site.example',
          browser,
          os,
          device,
          screen: device === 'desktop' ? '1920x1080' : '390x844',
          language: 'en-US',
          country,
          created_at: createdAt,
        });
      } else if (ts - session.last >= SESSION_GAP_MS) {
        session.visit = uuid();
      }
      session.last = ts;
      const eventId = uuid();
      const query = utmSource
        ? `utm_source=${utmSource}&utm_medium=${utmMedium}&utm_campaign=${utmCampaign}`
        : null;
      counts.website_event += 1;
      buffers.website_event.push({
        event_id: eventId,
        website_id: WEBSITE,
        session_id: session.id,
        visit_id: session.visit,
        created_at: createdAt,
        url_path: path ?? '/',
        url_query: query,
        referrer_path: referrer ? '/' : null,
        referrer_domain: referrer,
        page_title: path ? `Site example: ${path.split('/').pop()}` : 'Site example',
        event_type: kind === 'event' ? 2 : 1,
        event_name: kind === 'event' ? eventName : null,
      });
      for (const [dataKey, value] of Object.entries(props ? JSON.parse(props) : {})) {
        counts.event_data += 1;
        buffers.event_data.push({
          event_data_id: uuid(),
          website_id: WEBSITE,
          website_event_id: eventId,
          data_key: dataKey,
          string_value: String(value),
          data_type: 1,
          created_at: createdAt,
        });
      }
    }
    if (buffers.website_event.length >= 20_000) await flush();
  };
  return { sink, flush, counts };
}
