import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { servicesUsed } from '../get-service';

/** `lease_owner` is 128 characters: the instance id is cut to leave room for the nonce. */
const OWNER_LENGTH = 128;

/**
 * One run at a time per job: a row in `ua_jobs` holds the owner and the expiry of a lease.
 * Taking it is a single conditional UPDATE, so two instances can never both succeed; a dead
 * owner's lease simply expires and the next instance takes over. The owner is the instance id
 * (readable in the table) plus a random nonce drawn once per process, so two replicas configured
 * with the same `instanceId` are still two owners. Within a process, a second `acquire` of a job
 * this process holds waits for its `release` (a scheduled run that lasts past the next tick, or a
 * run started by hand, never overlaps another: both would count the same pending rows).
 */
const createJobLease = ({ strapi }: { strapi: Core.Strapi }) => {
  const use = servicesUsed(strapi, ['plugin-config']);
  const knex = () => strapi.db.connection as unknown as Knex;
  const nonce = `#${randomBytes(4).toString('hex')}`;
  /** Jobs this process holds or is taking, each with the promise its release settles. */
  const held = new Map<string, { released: Promise<void>; settle: () => void }>();
  const claim = (job: string) => {
    let settle = () => {};
    const released = new Promise<void>((resolve) => (settle = resolve));
    held.set(job, { released, settle });
  };
  const unclaim = (job: string) => {
    held.get(job)?.settle();
    held.delete(job);
  };
  let ownerToken: string | null = null;
  const owner = () =>
    (ownerToken ??=
      use('plugin-config')
        .instanceId()
        .slice(0, OWNER_LENGTH - nonce.length) + nonce);

  /** The lease in the database: free, expired or already this process's. */
  async function takeLease(job: string, ttlMs: number, now: number): Promise<boolean> {
    await knex()('ua_jobs')
      .insert({
        name: job,
        watermark: 0,
        lease_owner: null,
        lease_expires_at: 0,
        updated_at: now,
      })
      .onConflict('name')
      .ignore();
    const taken = await knex()('ua_jobs')
      .where({ name: job })
      .andWhere((q) =>
        q
          .whereNull('lease_owner')
          .orWhere('lease_expires_at', '<', now)
          .orWhere('lease_owner', owner())
      )
      .update({ lease_owner: owner(), lease_expires_at: now + ttlMs, updated_at: now });
    return Number(taken) === 1;
  }

  return {
    async acquire(job: string, ttlMs: number, now = Date.now()): Promise<boolean> {
      for (let current = held.get(job); current; current = held.get(job)) await current.released;
      // Claimed before the first await, so that two waiters woken by one release take turns.
      claim(job);
      try {
        if (await takeLease(job, ttlMs, now)) return true;
      } catch (error) {
        unclaim(job);
        throw error;
      }
      unclaim(job);
      return false;
    },

    /**
     * Extends a lease this instance holds, inside `trx` when given (so work committed under it is
     * fenced: it commits only while the lease is still ours). False if the lease was lost.
     */
    async renew(job: string, ttlMs: number, trx?: Knex, now = Date.now()): Promise<boolean> {
      const renewed = await (trx ?? knex())('ua_jobs')
        .where({ name: job, lease_owner: owner() })
        .update({ lease_expires_at: now + ttlMs, updated_at: now });
      return Number(renewed) === 1;
    },

    async release(job: string, completedAt?: number): Promise<void> {
      try {
        await knex()('ua_jobs')
          .where({ name: job, lease_owner: owner() })
          .update({
            lease_owner: null,
            lease_expires_at: 0,
            ...(completedAt ? { watermark: completedAt, updated_at: completedAt } : {}),
          });
      } finally {
        unclaim(job);
      }
    },

    /** When a job last completed (epoch ms), or null if never. */
    async lastCompleted(job: string): Promise<number | null> {
      const row = await knex()('ua_jobs').where({ name: job }).first();
      return row && Number(row.watermark) > 0 ? Number(row.watermark) : null;
    },
  };
};

export type JobLeaseService = ReturnType<typeof createJobLease>;
export default createJobLease;
