import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { EventBuffer, type EventBufferStats } from '../collection/event-buffer';
import { ConfiguredLocales } from '../collection/configured-locales';
import { mergeKeyOf, type EditorialRow, type EventRow } from '../collection/event-row';
import { KnownEntries } from '../collection/known-entries';
import { createRowFitter, type RowFitter } from '../collection/fit-row';
import { createScrubber } from '../collection/personal-data';
import { insertRows, writeTime } from '../collection/row-writer';
import { servicesUsed } from '../get-service';

export type DropReason =
  | 'disabled'
  | 'dnt'
  | 'bot'
  | 'excluded'
  | 'sampled'
  | 'rate_limited'
  | 'address_limited'
  | 'host_not_allowed'
  | 'buffer_full';

/**
 * The write path: one bounded buffer per raw table, flushed in the background, and the counters
 * of what was accepted and why anything was not.
 */
const createEventPipeline = ({ strapi }: { strapi: Core.Strapi }) => {
  const use = servicesUsed(strapi, ['plugin-config']);
  const knex = () => strapi.db.connection as unknown as Knex;
  let events: EventBuffer<EventRow> | null = null;
  let editorial: EventBuffer<EditorialRow> | null = null;
  let stopping = false;
  const entries = new KnownEntries(async (uid, documentIds) => {
    // A content type removed from the app since the event was accepted has no entries left.
    if (!strapi.contentTypes[uid as keyof typeof strapi.contentTypes]) return new Set();
    const found = await strapi.db
      .query(uid as Parameters<typeof strapi.db.query>[0])
      .findMany({ select: ['documentId'], where: { documentId: { $in: documentIds } } });
    return new Set(found.map((entry: { documentId: string }) => entry.documentId));
  });
  let fitter: RowFitter | null = null;
  // The locales of Strapi's i18n plugin: events may only carry one of them.
  const locales = new ConfiguredLocales(async () => {
    const i18n = strapi.plugin('i18n')?.service('locales') as
      | { find(): Promise<{ code: string }[]> }
      | undefined;
    return i18n ? (await i18n.find()).map((locale) => locale.code) : [];
  });
  const dropped: Record<DropReason, number> = {
    disabled: 0,
    dnt: 0,
    bot: 0,
    excluded: 0,
    sampled: 0,
    rate_limited: 0,
    address_limited: 0,
    host_not_allowed: 0,
    buffer_full: 0,
  };

  /** The edge rows pass before they are buffered (collection/fit-row.ts). */
  function fit(): RowFitter {
    fitter ??= createRowFitter({
      // Patterns come from config/plugins only: they cannot change while Strapi runs.
      scrubber: createScrubber(use('plugin-config').file().privacy.scrubPatterns),
      matchLocale: (locale) => locales.match(locale),
    });
    return fitter;
  }

  function buffers() {
    if (!events || !editorial) {
      const config = use('plugin-config').get();
      const common = {
        maxEvents: config.buffer.maxEvents,
        maxBatch: config.flush.maxBatch,
        intervalMs: config.flush.intervalMs,
        batchTime: writeTime(knex()),
        log: strapi.log,
        probe: async () => {
          await knex().raw('select 1');
        },
      };
      events = new EventBuffer<EventRow>({
        ...common,
        name: 'events',
        write: async (rows) => insertRows(knex(), 'ua_events', await entries.resolve(rows)),
        mergeKey: mergeKeyOf,
        merge: (into, row) => {
          into.hits += row.hits;
        },
        weight: (row) => row.hits,
      });
      editorial = new EventBuffer<EditorialRow>({
        ...common,
        name: 'editorial activity',
        write: (rows) => insertRows(knex(), 'ua_editorial', rows),
      });
    }
    return { events, editorial };
  }

  return {
    /** Starts the writers; resolves once the configured locales are known. */
    async start(): Promise<void> {
      const b = buffers();
      b.events.start();
      b.editorial.start();
      // A locale added or removed on this instance counts at once; on others within a minute.
      const reload = () => locales.invalidate();
      strapi.db.lifecycles.subscribe({
        models: ['plugin::i18n.locale'],
        afterCreate: reload,
        afterUpdate: reload,
        afterDelete: reload,
      });
      await locales.refresh();
    },

    /** Queues a row, fitted to its columns and scrubbed of personal data. */
    pushEvent(row: EventRow): boolean {
      const ok = buffers().events.push(fit().event(row));
      if (!ok) dropped.buffer_full += 1;
      return ok;
    },

    pushEditorial(row: EditorialRow): boolean {
      return buffers().editorial.push(fit().editorial(row));
    },

    countDrop(reason: DropReason): void {
      dropped[reason] += 1;
    },

    /** Writes everything buffered now (tests and shutdown). */
    async flush(): Promise<void> {
      const b = buffers();
      await Promise.all([b.events.flush(), b.editorial.flush()]);
    },

    /** True once shutdown began (Strapi still serves requests until it closes its server). */
    stopping(): boolean {
      return stopping;
    },

    /**
     * During shutdown: writes what is buffered now and tells whether every event got written —
     * so an event arriving then is stored before it is acknowledged, or not acknowledged.
     */
    async settle(): Promise<boolean> {
      const b = buffers();
      await b.events.flush();
      return b.events.stats().pending === 0;
    },

    async stop(): Promise<void> {
      stopping = true;
      if (!events || !editorial) return;
      await Promise.all([events.stop(), editorial.stop()]);
    },

    stats(): { events: EventBufferStats; editorial: EventBufferStats; dropped: typeof dropped } {
      const b = buffers();
      return { events: b.events.stats(), editorial: b.editorial.stats(), dropped: { ...dropped } };
    },
  };
};

export type EventPipelineService = ReturnType<typeof createEventPipeline>;
export default createEventPipeline;
