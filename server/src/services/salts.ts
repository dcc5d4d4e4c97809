import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { DAY_MS } from '../../../shared/time';
import { utcDay } from '../collection/visitor-hash';

/**
 * The daily random salts of the visitor hash, shared by every instance through `ua_salts`.
 * Yesterday's, today's and tomorrow's are kept in memory, so the request path never waits for the
 * database and midnight needs no lookup; older salts are deleted, which makes old hashes
 * impossible to link to anyone.
 */
const createSalts = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection as unknown as Knex;
  const cache = new Map<string, string>();
  let timer: NodeJS.Timeout | null = null;

  async function ensure(day: string): Promise<void> {
    if (cache.has(day)) return;
    try {
      let row = await knex()('ua_salts').where({ day }).first();
      if (!row) {
        await knex()('ua_salts')
          .insert({ day, salt: randomBytes(32).toString('hex') })
          .onConflict('day')
          .ignore();
        row = await knex()('ua_salts').where({ day }).first();
      }
      if (row?.salt && !cache.has(day)) cache.set(day, String(row.salt));
    } catch (error) {
      // Database unreachable: use a salt of this process for the day rather than drop visitors.
      if (!cache.has(day)) cache.set(day, randomBytes(32).toString('hex'));
      strapi.log.warn(
        `[usage-analytics] could not load the visitor-hash salt for ${day}; using one local to this instance: ${
          error instanceof Error ? error.message : error
        }`
      );
    }
  }

  async function refresh(now = Date.now()): Promise<void> {
    const yesterday = utcDay(now - DAY_MS);
    for (const day of [yesterday, utcDay(now), utcDay(now + DAY_MS)]) await ensure(day);
    for (const day of cache.keys()) if (day < yesterday) cache.delete(day);
    try {
      await knex()('ua_salts').where('day', '<', yesterday).delete();
    } catch {
      // retried at the next refresh
    }
  }

  return {
    refresh,
    async start(): Promise<void> {
      await refresh();
      timer = setInterval(() => void refresh(), 60_000);
      timer.unref();
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = null;
    },
    /**
     * The salt of a UTC day. Yesterday's, today's and tomorrow's are loaded ahead; any other day
     * (or all of them before the first load) gets a random salt local to this process, never a
     * guessable one.
     */
    saltFor(day: string): string {
      let salt = cache.get(day);
      if (!salt) {
        salt = randomBytes(32).toString('hex');
        cache.set(day, salt);
      }
      return salt;
    },

    /** Whether a day's salt is in memory (for carrying sessions across midnight). */
    hasSalt(day: string): boolean {
      return cache.has(day);
    },
  };
};

export type SaltsService = ReturnType<typeof createSalts>;
export default createSalts;
