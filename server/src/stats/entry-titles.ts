import type { Core } from '@strapi/strapi';

const FALLBACK_FIELDS = ['title', 'name', 'headline', 'label', 'slug'];

/** The field the Content Manager shows as an entry's title, or a sensible string field. */
async function mainField(strapi: Core.Strapi, uid: string): Promise<string | null> {
  const contentType = strapi.contentTypes[uid as keyof typeof strapi.contentTypes] as
    | { attributes: Record<string, { type: string }> }
    | undefined;
  if (!contentType) return null;
  try {
    const configuration = await strapi
      .plugin('content-manager')
      .service('content-types')
      .findConfiguration(contentType);
    const field = configuration?.settings?.mainField;
    if (field && contentType.attributes[field]) return field;
  } catch {
    // fall back below
  }
  const attributes = contentType.attributes;
  return (
    FALLBACK_FIELDS.find((f) => attributes[f]) ??
    Object.keys(attributes).find((f) => attributes[f].type === 'string') ??
    null
  );
}

/**
 * Titles of entries for display, read straight from the database (all locales and both
 * draft and published rows; the published row wins). Key: `uid|documentId|locale`.
 */
export async function entryTitles(
  strapi: Core.Strapi,
  entries: Array<{ contentType: string; documentId: string; locale: string | null }>
): Promise<Map<string, string>> {
  const titles = new Map<string, string>();
  const byType = new Map<string, string[]>();
  for (const e of entries) {
    const ids = byType.get(e.contentType) ?? [];
    if (!ids.length) byType.set(e.contentType, ids);
    ids.push(e.documentId);
  }
  for (const [uid, ids] of byType) {
    const field = await mainField(strapi, uid);
    if (!field) continue;
    const rows = (await strapi.db.query(uid as never).findMany({
      where: { documentId: { $in: ids } },
      select: ['documentId', 'locale', 'publishedAt', field],
    })) as Array<Record<string, unknown>>;
    rows.sort((a, b) => Number(Boolean(a.publishedAt)) - Number(Boolean(b.publishedAt)));
    for (const row of rows) {
      const title = row[field];
      if (typeof title !== 'string') continue;
      titles.set(`${uid}|${row.documentId}|${row.locale ?? ''}`, title);
      if (!titles.has(`${uid}|${row.documentId}|*`))
        titles.set(`${uid}|${row.documentId}|*`, title);
    }
  }
  return titles;
}

export const titleOf = (
  titles: Map<string, string>,
  e: { contentType: string; documentId: string; locale: string | null }
) =>
  titles.get(`${e.contentType}|${e.documentId}|${e.locale ?? ''}`) ??
  titles.get(`${e.contentType}|${e.documentId}|*`) ??
  null;
