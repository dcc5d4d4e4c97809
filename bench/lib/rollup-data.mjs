// Synthetic data for the rollup and stats-API benchmarks (bench/rollup.mjs): raw `ua_events` rows
// with a realistic mix, daily aggregates generated directly, and the fastest way each database
// takes many rows (PostgreSQL: INSERT … SELECT FROM unnest(arrays), 20 000 rows per statement;
// SQLite: one prepared INSERT run per row inside a transaction per batch).
import { loadTypeScript } from './typescript-source.cjs';

export const { DAY_MS, HOUR_MS, isoDay } = loadTypeScript('shared/time.ts');
const { seededRandom } = loadTypeScript('tests/app/src/seeded-random.ts');

/** Picks from weighted choices: [[value, weight], …]. */
function weighted(choices) {
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  const cdf = [];
  let acc = 0;
  for (const [value, w] of choices) {
    acc += w / total;
    cdf.push([acc, value]);
  }
  return (r) => {
    for (const [limit, value] of cdf) if (r < limit) return value;
    return cdf[cdf.length - 1][1];
  };
}

/** Zipf-like (weight 1/rank) choice among `n` ranks, by binary search of the CDF. */
function zipf(n, exponent = 1) {
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let k = 0; k < n; k += 1) {
    acc += 1 / (k + 1) ** exponent;
    cdf[k] = acc;
  }
  return (r) => {
    const target = r * acc;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const hex8 = (x) => (x >>> 0).toString(16).padStart(8, '0');
/** A 16-hex-digit hash of two integers (stands for the daily visitor hash). */
const hash16 = (a, b) =>
  hex8(Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b) + hex8(Math.imul(b ^ 0xc2b2ae35, 0x27d4eb2f) + a);

/** `count` content entries: 70 % articles, 30 % pages; every fifth one in French. */
export function makeEntries(count) {
  return Array.from({ length: count }, (_, k) => {
    const article = k % 10 < 7;
    return {
      contentType: article ? 'api::article.article' : 'api::page.page',
      documentId: `bench${k.toString(36).padStart(19, '0')}`,
      locale: k % 5 === 4 ? 'fr' : 'en',
      path: `/${article ? 'blog' : 'pages'}/entry-${k}`,
    };
  });
}

export const EVENT_COLUMNS = [
  'ts',
  'kind',
  'source',
  'content_type',
  'document_id',
  'locale',
  'path',
  'referrer_host',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'device',
  'browser',
  'os',
  'country',
  'visitor_hash',
  'engaged_ms',
  'scroll_depth',
  'event_name',
  'props',
  'batch',
];
/** Rows per pending batch, as the plugin's writer flushes them (about one flush's worth). */
export const FLUSH_ROWS = 1000;

const KIND = weighted([
  ['pageview', 60],
  ['api_read', 25],
  ['engagement', 10],
  ['event', 4],
  ['list_read', 1],
]);
const OTHER_PATHS = ['/', '/about', '/pricing', '/contact', '/blog', '/docs', '/search', '/jobs'];
const REFERRER = weighted([
  [null, 55],
  ['www.google.com', 25],
  ['www.bing.com', 3],
  ['duckduckgo.com', 3],
  ['t.co', 3],
  ['news.ycombinator.com', 2],
  ['www.reddit.com', 2],
  ['www.linkedin.com', 2],
  ['github.com', 2],
  ['www.facebook.com', 1],
  ['lobste.rs', 1],
  ['dev.to', 1],
]);
const UTM_SOURCE = weighted([
  ['newsletter', 4],
  ['twitter', 2],
  ['linkedin', 2],
  ['google', 2],
]);
const UTM_MEDIUM = { newsletter: 'email', twitter: 'social', linkedin: 'social', google: 'cpc' };
const CAMPAIGNS = Array.from({ length: 12 }, (_, i) => `campaign-${i + 1}`);
const DEVICE = weighted([
  ['desktop', 55],
  ['mobile', 40],
  ['tablet', 5],
]);
const BROWSER = weighted([
  ['Chrome', 60],
  ['Safari', 20],
  ['Edge', 10],
  ['Firefox', 8],
  ['Samsung Internet', 2],
]);
const OS = {
  desktop: weighted([
    ['Windows', 65],
    ['macOS', 28],
    ['Linux', 7],
  ]),
  mobile: weighted([
    ['Android', 60],
    ['iOS', 40],
  ]),
  tablet: weighted([
    ['iOS', 60],
    ['Android', 40],
  ]),
};
const COUNTRY = weighted(
  ['US', 'DE', 'GB', 'FR', 'IN', 'BR', 'CA', 'NL', 'ES', 'IT', 'PL', 'SE', 'JP', 'AU', 'CH'].map(
    (c, i) => [c, 1 / (i + 1)]
  )
);
const EVENT_NAMES = [
  'signup',
  'download',
  'newsletter_subscribe',
  'share',
  'search',
  'play_video',
  'outbound_click',
  'add_to_cart',
  'checkout',
  'contact_submit',
];

/**
 * Generates `count` raw events with times uniform in [start, end), in time order, as arrays in
 * EVENT_COLUMNS order, handing them to `sink` in batches. Each UTC day has a pool of
 * `visitorsPerDay` visitors (hits skewed towards some of them, so most visitors come back a few
 * times; each keeps one device, browser, OS and country), content entries are picked with a
 * Zipf-like popularity. As the plugin's flushes would write them, every FLUSH_ROWS consecutive
 * rows share a batch number (from `firstBatch` on). `mix` ({ kind: weight }) replaces the default
 * mix of kinds. Returns the number of events per kind, the
 * days touched and the batches as pending-batch rows [batch, row_count, min_ts, max_ts].
 */
export async function generateEvents(
  { count, start, end, visitorsPerDay, entries, seed, firstBatch, mix },
  sink
) {
  const rnd = seededRandom(seed);
  const pickKind = mix ? weighted(Object.entries(mix)) : KIND;
  const pending = [];
  const pickEntry = zipf(entries.length);
  const kinds = { pageview: 0, api_read: 0, engagement: 0, event: 0, list_read: 0 };
  const days = new Set();
  const batchSize = 20_000;
  let batch = [];
  const step = (end - start) / count;
  for (let i = 0; i < count; i += 1) {
    const ts = Math.min(end - 1, start + Math.floor((i + rnd()) * step));
    const batchNo = firstBatch + Math.floor(i / FLUSH_ROWS);
    if (i % FLUSH_ROWS === 0) pending.push([batchNo, 0, ts, ts]);
    const flush = pending[pending.length - 1];
    flush[1] += 1;
    flush[3] = ts;
    const dayIndex = Math.floor(ts / DAY_MS);
    days.add(dayIndex);
    const visitor = Math.floor(visitorsPerDay * rnd() ** 2);
    const kind = pickKind(rnd());
    kinds[kind] += 1;
    const entry = entries[pickEntry(rnd())];
    const row = new Array(EVENT_COLUMNS.length).fill(null);
    row[0] = ts;
    row[1] = kind;
    row[15] = hash16(dayIndex, visitor);
    row[20] = batchNo;
    if (kind === 'api_read' || kind === 'list_read') {
      row[2] = 'api';
      row[3] = entry.contentType;
      if (kind === 'api_read') {
        row[4] = entry.documentId;
        row[5] = entry.locale;
      }
    } else {
      row[2] = 'tracker';
      // A fifth of tracker hits are on pages that are no content entry (home, pricing, …).
      const onEntry = kind !== 'event' ? rnd() < 0.8 : rnd() < 0.5;
      if (onEntry) {
        row[3] = entry.contentType;
        row[4] = entry.documentId;
        row[5] = entry.locale;
        row[6] = entry.path;
      } else {
        row[6] = OTHER_PATHS[Math.floor(rnd() * OTHER_PATHS.length)];
      }
      // The visitor hash covers the user agent and the IP, so a visitor keeps one device,
      // browser, OS and country all day.
      const own = seededRandom(dayIndex * 7_919 + visitor * 104_729 + seed);
      const device = DEVICE(own());
      row[11] = device;
      row[12] = BROWSER(own());
      row[13] = OS[device](own());
      row[14] = COUNTRY(own());
      if (kind === 'pageview') {
        row[7] = REFERRER(rnd());
        if (rnd() < 0.08) {
          const source = UTM_SOURCE(rnd());
          row[8] = source;
          row[9] = UTM_MEDIUM[source];
          row[10] = CAMPAIGNS[Math.floor(rnd() * CAMPAIGNS.length)];
        }
      } else if (kind === 'engagement') {
        row[16] = 1000 + Math.floor(rnd() * 240_000);
        row[17] = Math.floor(rnd() * 101);
      } else {
        row[18] = EVENT_NAMES[Math.floor(EVENT_NAMES.length * rnd() ** 2)];
        row[19] = rnd() < 0.3 ? JSON.stringify({ plan: rnd() < 0.5 ? 'pro' : 'free' }) : null;
      }
    }
    batch.push(row);
    if (batch.length === batchSize) {
      await sink(batch);
      batch = [];
    }
  }
  if (batch.length) await sink(batch);
  return { kinds, days: [...days].sort().map((d) => isoDay(d * DAY_MS)), pending };
}

/**
 * One year (or `days`) of daily aggregates as the rollup would write them, for `entryCount`
 * entries every day, handed to `sink(table, columns, rows)` in batches.
 */
export async function generateAggregates({ firstDay, days, entryCount, seed }, sink) {
  const rnd = seededRandom(seed);
  const entries = makeEntries(entryCount);
  const batchSize = 20_000;
  const counts = {};
  const buffers = new Map();
  const push = async (table, columns, row) => {
    let buffer = buffers.get(table);
    if (!buffer) buffers.set(table, (buffer = { columns, rows: [] }));
    buffer.rows.push(row);
    counts[table] = (counts[table] ?? 0) + 1;
    if (buffer.rows.length === batchSize) {
      await sink(table, columns, buffer.rows);
      buffer.rows = [];
    }
  };
  const contentColumns = [
    'day',
    'content_type',
    'document_id',
    'locale',
    'pageviews',
    'api_reads',
    'visitors',
    'engagements',
    'engaged_ms',
    'events',
  ];
  const dimensionValues = {
    path: Array.from({ length: 2000 }, (_, k) => entries[k % entries.length].path),
    referrer: ['www.google.com', 'www.bing.com', 'duckduckgo.com', 't.co', 'github.com'].concat(
      Array.from({ length: 45 }, (_, i) => `site-${i}.example`)
    ),
    utm_source: ['newsletter', 'twitter', 'linkedin', 'google'],
    utm_medium: ['email', 'social', 'cpc'],
    utm_campaign: CAMPAIGNS,
    device: ['desktop', 'mobile', 'tablet'],
    browser: ['Chrome', 'Safari', 'Edge', 'Firefox', 'Samsung Internet'],
    os: ['Windows', 'macOS', 'Linux', 'Android', 'iOS'],
    country: ['US', 'DE', 'GB', 'FR', 'IN', 'BR', 'CA', 'NL', 'ES', 'IT', 'PL', 'SE', 'JP'],
  };
  for (let d = 0; d < days; d += 1) {
    const day = isoDay(firstDay + d * DAY_MS);
    let pageviews = 0;
    let apiReads = 0;
    for (let k = 0; k < entries.length; k += 1) {
      const e = entries[k];
      const base = Math.max(1, Math.round((3000 / (k + 1)) * (0.5 + rnd())));
      const pv = base;
      const api = Math.round(base * 0.4);
      pageviews += pv;
      apiReads += api;
      await push('ua_content_daily', contentColumns, [
        day,
        e.contentType,
        e.documentId,
        e.locale,
        pv,
        api,
        Math.max(1, Math.round((pv + api) * 0.3)),
        Math.round(pv * 0.15),
        Math.round(pv * 0.15 * 45_000),
        Math.round(pv * 0.05),
      ]);
    }
    await push(
      'ua_site_daily',
      ['day', 'pageviews', 'api_reads', 'visitors', 'sessions', 'bounces', 'engaged_ms', 'events'],
      [
        day,
        pageviews,
        apiReads,
        Math.round(pageviews * 0.2),
        Math.round(pageviews * 0.3),
        Math.round(pageviews * 0.12),
        pageviews * 6000,
        Math.round(pageviews * 0.05),
      ]
    );
    for (const [dimension, values] of Object.entries(dimensionValues)) {
      for (let i = 0; i < values.length; i += 1) {
        const pv = Math.max(1, Math.round(pageviews / (i + 2) / 4));
        await push(
          'ua_dimension_daily',
          ['day', 'dimension', 'value', 'pageviews', 'visitors'],
          [day, dimension, values[i], pv, Math.max(1, Math.round(pv * 0.3))]
        );
      }
    }
    for (let i = 0; i < EVENT_NAMES.length; i += 1) {
      const c = Math.round(pageviews / 50 / (i + 1));
      await push(
        'ua_event_daily',
        ['day', 'event_name', 'count', 'visitors'],
        [day, EVENT_NAMES[i], c, Math.round(c * 0.6)]
      );
    }
    for (const contentType of ['api::article.article', 'api::page.page']) {
      await push(
        'ua_list_reads_daily',
        ['day', 'content_type', 'count'],
        [day, contentType, Math.round(pageviews / 100)]
      );
    }
  }
  for (const [table, { columns, rows }] of buffers)
    if (rows.length) await sink(table, columns, rows);
  return counts;
}

const PG_TYPES = {
  bigint: 'bigint',
  integer: 'integer',
  smallint: 'smallint',
  'double precision': 'double precision',
  real: 'real',
  boolean: 'boolean',
};

const ENTRY_COLUMNS = ['content_type', 'document_id', 'locale'];

/**
 * A bulk inserter on Strapi's knex connection: `insert(table, columns, rows)` with rows as arrays
 * in `columns` order. It borrows a raw driver connection from knex's pool for each batch.
 * `insertNamed(table, columns, rows)` takes rows naming their content entry by content type,
 * document id and locale and stores them as the plugin does: each with the id of its entry in
 * `ua_entries` (added there first; '' for an absent value), the dictionary kept in memory, so the
 * dictionary table must only grow while it is in use. `insertEvents(rows)` is that for raw events
 * in EVENT_COLUMNS order.
 */
export function bulkInserter(knex) {
  const client = String(knex.client.config.client);
  const isPg = /^(pg|postgres)/.test(client);
  const pgTypes = new Map();
  const sqliteStatements = new WeakMap();

  async function insertPg(table, columns, rows) {
    if (!pgTypes.has(table)) {
      const { rows: info } = await knex.raw(
        'select column_name, data_type from information_schema.columns ' +
          'where table_schema = current_schema() and table_name = ?',
        [table]
      );
      pgTypes.set(
        table,
        Object.fromEntries(info.map((c) => [c.column_name, PG_TYPES[c.data_type] ?? 'text']))
      );
    }
    const types = pgTypes.get(table);
    const arrays = columns.map((_, i) => rows.map((row) => row[i]));
    const sql =
      `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) ` +
      `SELECT * FROM unnest(${columns.map((c, i) => `$${i + 1}::${types[c]}[]`).join(', ')})`;
    const conn = await knex.client.acquireConnection();
    try {
      await conn.query(sql, arrays);
    } finally {
      await knex.client.releaseConnection(conn);
    }
  }

  async function insertSqlite(table, columns, rows) {
    const db = await knex.client.acquireConnection();
    try {
      let statements = sqliteStatements.get(db);
      if (!statements) sqliteStatements.set(db, (statements = new Map()));
      const key = `${table}(${columns.join(',')})`;
      if (!statements.has(key)) {
        const stmt = db.prepare(
          `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) ` +
            `VALUES (${columns.map(() => '?').join(', ')})`
        );
        statements.set(
          key,
          db.transaction((batch) => {
            for (const row of batch) stmt.run(row);
          })
        );
      }
      statements.get(key)(rows);
    } finally {
      await knex.client.releaseConnection(db);
    }
  }

  const insert = isPg ? insertPg : insertSqlite;
  const entryIds = new Map();
  let lastId;
  async function insertNamed(table, columns, rows) {
    const at = ENTRY_COLUMNS.map((c) => columns.indexOf(c));
    lastId ??= Number((await knex('ua_entries').max({ id: 'id' }))[0].id ?? 0);
    const added = [];
    const stored = rows.map((row) => {
      const [ct, doc, locale] = at.map((i) => row[i]);
      let id = null;
      if (ct !== null || doc !== null || locale !== null) {
        const key = `${ct ?? ''}\u0000${doc ?? ''}\u0000${locale ?? ''}`;
        id = entryIds.get(key);
        if (id === undefined) {
          entryIds.set(key, (id = lastId += 1));
          added.push([id, ct ?? '', doc ?? '', locale ?? '']);
        }
      }
      const out = row.filter((_, i) => !at.includes(i));
      out.push(id);
      return out;
    });
    if (added.length) {
      await insert('ua_entries', ['id', 'content_type', 'document_id', 'locale'], added);
      // Ids given explicitly: the plugin's own inserts continue after them.
      if (isPg) {
        await knex.raw(
          "SELECT setval(pg_get_serial_sequence('ua_entries', 'id'), (SELECT MAX(id) FROM ua_entries))"
        );
      }
    }
    await insert(table, [...columns.filter((_, i) => !at.includes(i)), 'entry_id'], stored);
  }
  const insertEvents = (rows) => insertNamed('ua_events', EVENT_COLUMNS, rows);

  return { isPg, insert, insertNamed, insertEvents };
}
