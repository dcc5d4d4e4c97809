import { Readable } from 'node:stream';
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { getService } from '../get-service';
import { exportSchema } from '../stats/table-query';
import { parseRange } from './insights';
import { rejectRequest } from './respond';

/** CSV downloads: validated like the dashboard's queries, then streamed row by row. */
const createExportController = ({ strapi }: { strapi: Core.Strapi }) => {
  const send = async (ctx: Context, fileName: string, lines: AsyncGenerator<string>) => {
    // The first line comes after the figures were read: a database failure is then an error
    // answer, not a 200 with a cut-off file.
    const first = await lines.next();
    ctx.set('Content-Disposition', `attachment; filename="${fileName}"`);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'text/csv; charset=utf-8';
    ctx.body = Readable.from(
      (async function* () {
        if (!first.done) yield first.value;
        yield* lines;
      })()
    );
  };

  return {
    async content(ctx: Context) {
      const r = parseRange(ctx, exportSchema);
      if ('error' in r) return rejectRequest(ctx, 400, r.error ?? 'invalid query');
      const { contentType, locale, sort, order } = r.query;
      const service = getService(strapi, 'export');
      await send(
        ctx,
        service.fileName('content', r.range),
        service.contentCsv(
          r.range,
          { contentType, locale },
          { sort: sort ?? 'views', order: order ?? 'desc' }
        )
      );
    },

    async series(ctx: Context) {
      const r = parseRange(ctx, exportSchema);
      if ('error' in r) return rejectRequest(ctx, 400, r.error ?? 'invalid query');
      const { contentType, locale } = r.query;
      const service = getService(strapi, 'export');
      await send(
        ctx,
        service.fileName('series', r.range),
        service.seriesCsv(r.range, { contentType, locale })
      );
    },
  };
};

export default createExportController;
