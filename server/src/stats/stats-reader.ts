import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { getService } from '../get-service';
import { visitorPartial, type Aggregate } from '../rollup/aggregates';
import { daysBetween } from '../rollup/day-range';
import { closedAmong } from '../rollup/day-closing';
import type { RollupService } from '../services/rollup';
import { rowsOf, type Row } from './rows';
import { namedEntries } from './entry-names';
import { DayRangeCache } from './day-range-cache';
import { dayParts, type DayPart } from './day-parts';
import type { Range } from './stats-query';
import { iso } from './figures';
import {
  lastDayOf,
  monthOf,
  monthlyTableOf,
  summaryCurrent,
  versionsText,
} from '../rollup/month-summaries';
import { difference, monthPlan, type Summed } from './month-reads';

// Rows of stored-aggregate results kept in memory, in all (DayRangeCache).
const CACHE_ROWS = 200_000;
// Live tails whose results are kept (a request may read two ranges' tails, several requests may
// overlap a flush).
const TAILS_KEPT = 4;

type Pending = Awaited<ReturnType<RollupService['pending']>>;

interface StoredOptions {
  /** false: the result is answered, not kept in memory (DayRangeCache). */
  keep?: (rows: Row[]) => boolean;
  /** The shape sums `fields` over the days by `keys`: months may come from their summaries. */
  summed?: Summed;
}

/**
 * How the stats service reads a range: the aggregate tables (partial rows summed by key, GROUP BY
 * inside the database, never over raw events; each result kept in memory while the versions of
 * its days stand, so a year of closed days is read once, not per request) plus the live tail —
 * raw rows of batches not rolled up yet, aggregated by the very queries the rollup uses.
 */
export function createStatsReader(strapi: Core.Strapi) {
  const knex = () => strapi.db.connection as unknown as Knex;
  const cache = new DayRangeCache(CACHE_ROWS);
  // Live-tail results by tail (tailKeyOf), the most recent TAILS_KEPT tails.
  const tails = new Map<string, Map<string, Promise<unknown>>>();

  /**
   * The range's days, and those of them the pending raw rows fall on; `pending` lets one request
   * read the pending list once for several ranges.
   */
  async function split(range: Range, known?: Pending, now = Date.now()) {
    const days = daysBetween(range.from, range.to);
    const pending = known ?? (await getService(strapi, 'rollup').pending());
    const live =
      pending.from === null || pending.to === null
        ? new Set<string>()
        : new Set(daysBetween(pending.from, pending.to + 1));
    return {
      days,
      lo: days[0],
      hi: days[days.length - 1],
      /** The runs of days stored results are read and kept in memory by (stats/day-parts.ts). */
      parts: dayParts(days, iso(now).slice(0, 10)),
      live: days.filter((d) => live.has(d)),
      pending,
      source: pending.source,
      cache: new Map<Aggregate, Promise<Row[]>>(),
      versions: new Map<string, Promise<string>>(),
      dayVersions: null as Promise<{ day: string; version: string }[]> | null,
      tailKey: null as Promise<string | null> | null,
      closed: null as Promise<Set<string>> | null,
      summaries: null as Promise<Map<string, string>> | null,
    };
  }
  type Split = Awaited<ReturnType<typeof split>>;

  /**
   * What the days `part` of `table` look like now: the versions of the days the rollup added to
   * and the oldest day retention left. Read before the part's query runs (see DayRangeCache).
   */
  const dayVersionsOf = (s: Split) =>
    (s.dayVersions ??= knex()('ua_rollup_days')
      // Every day of the range's months: a month summary's currency depends on all its days.
      .whereBetween('day', [monthOf(s.lo), lastDayOf(monthOf(s.hi))])
      .select('day', 'version')
      .then((rows) => rows.map((r) => ({ day: String(r.day), version: String(r.version) }))));
  const versionOf = (s: Split, table: string, part: DayPart): Promise<string> => {
    const key = `${table}|${part[0]}|${part[1]}`;
    let version = s.versions.get(key);
    if (!version) {
      version = Promise.all([dayVersionsOf(s), knex()(table).min({ day: 'day' }).first()]).then(
        ([days, oldest]) =>
          `${oldest?.day ?? ''}|${versionsText(days.filter((d) => d.day >= part[0] && d.day <= part[1]))}`
      );
      s.versions.set(key, version);
    }
    return version;
  };

  /** The summaries' records of the versions they were built at, by month, from `from` on. */
  const recordedSince = (from: string, to = from) =>
    knex()('ua_month_summaries')
      .whereBetween('month', [from, to])
      .select('month', 'versions')
      .then((rows) => new Map(rows.map((r) => [String(r.month), String(r.versions)])));

  /** Which months of the range have a current summary (rollup/month-summaries.ts). */
  async function currentMonths(s: Split): Promise<(month: string) => boolean> {
    s.summaries ??= recordedSince(monthOf(s.lo), s.hi);
    const [days, summaries] = await Promise.all([dayVersionsOf(s), s.summaries]);
    return (month) => {
      const recorded = summaries.get(month);
      const its = days.filter((d) => monthOf(d.day) === month);
      return recorded !== undefined && summaryCurrent(recorded, its);
    };
  }

  /**
   * Whether `month`'s summary and the versions of its days are still what the split read: then
   * rows read from both in between are of one state. (A part's cached result is kept by the
   * versions of its own days; a summary less the month's other days also depends on those.)
   */
  async function monthUnchanged(s: Split, month: string): Promise<boolean> {
    const [recordedRead, recordedNow, versionsNow, versionsRead] = await Promise.all([
      s.summaries,
      recordedSince(month),
      knex()('ua_rollup_days')
        .whereBetween('day', [month, lastDayOf(month)])
        .select('day', 'version'),
      dayVersionsOf(s),
    ]);
    const its = (rows: { day: unknown; version: unknown }[]) =>
      versionsText(
        rows
          .map((d) => ({ day: String(d.day), version: String(d.version) }))
          .filter((d) => monthOf(d.day) === month)
      );
    return (
      recordedRead?.get(month) === recordedNow.get(month) && its(versionsNow) === its(versionsRead)
    );
  }

  /** A part's rows of `table` shaped by `shape`, from month summaries where they serve. */
  async function partRows(
    s: Split,
    table: string,
    part: DayPart,
    shape: (q: Knex.QueryBuilder) => Knex.QueryBuilder,
    { keep, summed }: StoredOptions
  ): Promise<Row[]> {
    const days = () => rowsOf(shape(knex()(table).whereBetween('day', part)));
    const monthly = summed ? monthlyTableOf(table) : null;
    if (!monthly || !summed) return days();
    const plan = monthPlan(part, await currentMonths(s));
    if (plan.read === 'days') return days();
    if (plan.read === 'months') return rowsOf(shape(knex()(monthly).whereBetween('day', part)));
    const whole = await rowsOf(shape(knex()(monthly).where('day', plan.month)));
    // Cut short (more keys than the caller keeps): the caller reads the range another way.
    if (keep && !keep(whole)) return whole;
    const outside = await rowsOf(
      shape(
        knex()(table).where((q) => {
          for (const p of plan.outside) q.orWhereBetween('day', p);
        })
      )
    );
    // A late batch or a new summary of the month meanwhile: its days, read again.
    if (!(await monthUnchanged(s, plan.month))) return days();
    return difference(whole, outside, summed);
  }

  /**
   * `shape`d over the range's days of `table`, one result per part of the range (stats/day-parts:
   * the months before today apart from today's, which change at each rollup), each from the
   * cache while its days' versions stand (under `tag`, which must name the shape). Callers sum
   * the parts by key. `summed`: the shape sums over the days (no per-day rows), so months may be
   * read from their summaries (`partRows`).
   */
  async function storedParts(
    s: Split,
    table: string,
    tag: string,
    shape: (q: Knex.QueryBuilder) => Knex.QueryBuilder,
    options: StoredOptions = {}
  ): Promise<Row[][]> {
    return Promise.all(
      s.parts.map((part) =>
        versionOf(s, table, part).then((version) =>
          cache.get(
            `${table}|${tag}|${part[0]}|${part[1]}`,
            version,
            () => partRows(s, table, part, shape, options),
            options.keep
          )
        )
      )
    );
  }

  /**
   * The pending batches a split reads and the versions of its live days: while both stay the
   * same, the live tail is the same raw rows checked against the same rolled-up raw rows and
   * session states (the rollup changes those only in a chunk that raises the days' versions), so
   * its results are too. Null when the tail is not worth keeping (no live day, or too many
   * batches to name).
   */
  const tailKeyOf = (s: Split): Promise<string | null> =>
    (s.tailKey ??= (async () => {
      const source = s.source;
      if (!s.live.length || source === 'pending') return null;
      const versions = new Map((await dayVersionsOf(s)).map((d) => [d.day, d.version]));
      const days = s.live.map((day) => `${day}:${versions.get(day) ?? 0}`).join(',');
      return `${days}|${[...source.batches].sort((a, b) => a - b).join(',')}`;
    })());

  /** A result of the live tail, shared by every request that reads the same tail. */
  async function liveResult<T>(s: Split, name: string, compute: () => Promise<T>): Promise<T> {
    const key = await tailKeyOf(s);
    if (key === null) return compute();
    let results = tails.get(key);
    if (!results) {
      tails.set(key, (results = new Map()));
      for (const old of tails.keys()) if (tails.size > TAILS_KEPT) tails.delete(old);
    }
    let result = results.get(name) as Promise<T> | undefined;
    if (!result) {
      const computed = compute();
      results.set(name, computed);
      computed.catch(() => results.delete(name));
      result = computed;
    }
    return result;
  }

  return {
    split,
    storedParts,
    liveResult,

    /** Every stored row of `table` on the range's days (to be shaped by the caller). */
    stored: (table: string, s: Split) => knex()(table).whereBetween('day', [s.lo, s.hi]),

    /** `storedParts`, flattened. */
    storedRows: async (
      s: Split,
      table: string,
      tag: string,
      shape: (q: Knex.QueryBuilder) => Knex.QueryBuilder,
      options?: StoredOptions
    ) => (await storedParts(s, table, tag, shape, options)).flat(),

    /** The live days that are closed (their sessions are recounted, not looked up). */
    closedOf: (s: Split) => (s.closed ??= closedAmong(knex(), s.live)),

    /**
     * The live tail's rows of `aggregate` (read once per split, and per tail while it stands);
     * rows of a content aggregate with their entry's names (`namedEntries`).
     */
    live(aggregate: Aggregate, s: Split): Promise<Row[]> {
      let rows = s.cache.get(aggregate);
      if (!rows) {
        rows = liveResult(s, aggregate.table, async () => {
          const parts = await Promise.all(
            s.live.flatMap((day) => {
              const visitors = visitorPartial(knex(), aggregate, s.source, day);
              return [
                rowsOf(aggregate.partial(knex(), s.source, day)),
                visitors ? rowsOf(visitors) : Promise.resolve([]),
              ];
            })
          );
          const rows = parts.flat();
          return aggregate.keys.includes('entry_id') ? namedEntries(knex(), rows) : rows;
        });
        s.cache.set(aggregate, rows);
      }
      return rows;
    },

    /** Drops the results held in memory. */
    forget(): void {
      cache.clear();
      tails.clear();
    },
  };
}

export type StatsReader = ReturnType<typeof createStatsReader>;
export type Split = Awaited<ReturnType<StatsReader['split']>>;
