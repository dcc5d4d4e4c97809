import type { Core } from '@strapi/strapi';

interface EntryRef {
  contentType: string;
  documentId: string;
  locale: string | null;
}

const IN_LIST = 500;

/**
 * Of `entries`, those that are published now: a published row of the document exists in the
 * entry's locale (any locale for an entry recorded without one; the one row of a type without
 * i18n). For a type without draft and publish every stored entry counts. Deleted entries and
 * drafts are left out. Order is kept.
 */
export async function publishedOnly<T extends EntryRef>(
  strapi: Core.Strapi,
  entries: T[]
): Promise<T[]> {
  const published = new Set<string>();
  const byType = new Map<string, Set<string>>();
  for (const e of entries) {
    if (!strapi.contentTypes[e.contentType as keyof typeof strapi.contentTypes]) continue;
    const ids = byType.get(e.contentType) ?? new Set<string>();
    byType.set(e.contentType, ids.add(e.documentId));
  }
  for (const [uid, idSet] of byType) {
    const model = strapi.contentTypes[uid as keyof typeof strapi.contentTypes] as {
      options?: { draftAndPublish?: boolean };
      attributes: Record<string, unknown>;
    };
    const select = model.attributes.locale ? ['documentId', 'locale'] : ['documentId'];
    const ids = [...idSet];
    for (let i = 0; i < ids.length; i += IN_LIST) {
      const where: Record<string, unknown> = { documentId: { $in: ids.slice(i, i + IN_LIST) } };
      if (model.options?.draftAndPublish) where.publishedAt = { $notNull: true };
      const rows = (await strapi.db.query(uid as never).findMany({
        where,
        select,
      })) as Array<{ documentId: string; locale?: string | null }>;
      for (const row of rows) {
        published.add(`${uid}|${row.documentId}|${row.locale ?? ''}`);
        published.add(`${uid}|${row.documentId}|*`);
      }
    }
  }
  return entries.filter(
    (e) =>
      published.has(`${e.contentType}|${e.documentId}|${e.locale ?? '*'}`) ||
      // A type without i18n: its one row has no locale, whatever locale the hit named.
      published.has(`${e.contentType}|${e.documentId}|`)
  );
}
