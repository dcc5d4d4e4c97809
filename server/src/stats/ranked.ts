import type { Knex } from 'knex';
import type { Aggregate } from '../rollup/aggregates';
import { rowKey, sumBy, type Row } from './rows';
import { rank as rankRows, rankWith, type Ranking } from './ranking';
import type { Split, StatsReader } from './stats-reader';

// Live rows whose stored sums are fetched by an IN list, this many at a time.
const IN_LIST = 500;
// A ranking is made in memory from every key's sums when each part of the range (day-parts.ts)
// holds at most this many keys (then it is exact and cached); past it, the top is picked in SQL.
const MAX_KEYS = 50_000;

export interface RankSpec {
  tag: string;
  keys: string[];
  fields: string[];
  score: (r: Row) => number;
  orderSql: string;
  /** null: every key (the content table and the export page through all of them). */
  limit: number | null;
  scope: (q: Knex.QueryBuilder) => Knex.QueryBuilder;
  liveFilter: (r: Row) => boolean;
  liveKeyColumn: string;
}

/**
 * Ranked rows of an aggregate by `keys`, best `score` first. Usually every key's sums over each
 * part of the range (cached) are summed in memory with the live rows: exact, and cheap once
 * cached. When a part holds more than MAX_KEYS keys, the stored top `limit` is picked by
 * `orderSql` in SQL and merged with the live rows — whose stored sums are fetched too, so an
 * entry that only the live tail lifts into the top is ranked on its full count. The rows
 * returned may be shared by later calls: never change them.
 */
export function createRanker(knex: () => Knex, reader: StatsReader) {
  // Rankings of cached parts, by the parts' identities (one WeakMap level per part): summed and
  // sorted once per combination of cached results.
  type RankingNode = { next: WeakMap<Row[], RankingNode>; ranking?: Ranking };
  const rankings: RankingNode = { next: new WeakMap() };
  const rankingOf = (parts: Row[][], build: () => Ranking): Ranking => {
    let node = rankings;
    for (const part of parts) {
      let child = node.next.get(part);
      if (!child) node.next.set(part, (child = { next: new WeakMap() }));
      node = child;
    }
    return (node.ranking ??= build());
  };

  return async function ranked(aggregate: Aggregate, s: Split, rank: RankSpec): Promise<Row[]> {
    const { keys, fields, scope } = rank;
    const grouped = (q: Knex.QueryBuilder) =>
      scope(q)
        .select(...keys, ...fields.map((f) => knex().raw('SUM(??) AS ??', [f, f])))
        .groupBy(keys);
    const liveRows = (await reader.live(aggregate, s)).filter(rank.liveFilter);
    // A part with more keys than MAX_KEYS means ranking in SQL below: not worth keeping.
    const parts = await reader.storedParts(
      s,
      aggregate.table,
      `ranked|${rank.tag}`,
      (q) => grouped(q).limit(MAX_KEYS + 1),
      { keep: (rows) => rows.length <= MAX_KEYS, summed: { keys, fields } }
    );
    if (parts.every((part) => part.length <= MAX_KEYS)) {
      const base = rankingOf(parts, () => rankRows(parts.flat(), keys, fields, rank.score));
      return rankWith(base, liveRows, keys, fields, rank.score);
    }
    const byScore = (rows: Row[]) => rows.sort((a, b) => rank.score(b) - rank.score(a));
    const ordered = grouped(reader.stored(aggregate.table, s)).orderByRaw(`${rank.orderSql} DESC`);
    const top: Row[] = await (rank.limit === null ? ordered : ordered.limit(rank.limit));
    const key = (r: Row) => rowKey(r, keys);
    const have = new Set(top.map(key));
    const missing = [
      ...new Set(liveRows.filter((r) => !have.has(key(r))).map((r) => r[rank.liveKeyColumn])),
    ];
    const extra: Row[] = [];
    for (let i = 0; i < missing.length; i += IN_LIST) {
      const part = missing.slice(i, i + IN_LIST) as Knex.Value[];
      const rows = await grouped(reader.stored(aggregate.table, s)).whereIn(
        rank.liveKeyColumn,
        part
      );
      for (const r of rows) if (!have.has(key(r))) extra.push(r);
    }
    return byScore(sumBy([...top, ...extra, ...liveRows], keys, fields));
  };
}
