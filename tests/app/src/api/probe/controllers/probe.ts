import type { Context } from 'koa';

export default {
  /** Answers after `?ms=` milliseconds (at most 2 s). */
  async slow(ctx: Context) {
    const ms = Math.min(2000, Math.max(0, Number(ctx.query.ms) || 0));
    await new Promise((resolve) => setTimeout(resolve, ms));
    ctx.body = { waited: ms };
  },

  async fail() {
    throw new Error('probe: deliberate failure');
  },
};
