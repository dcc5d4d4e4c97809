import type { Core } from '@strapi/strapi';

const FALLBACK_FIELDS = ['title', 'name', 'headline', 'label', 'slug'];

interface PermissionChecker {
  cannot: { read: (entity?: unknown, field?: string) => boolean };
  sanitizedQuery: { read: (query: object) => Promise<{ filters?: unknown }> };
}

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

/** The documentIds of `entries`, per content type. */
function idsByType(entries: Array<{ contentType: string; documentId: string }>) {
  const byType = new Map<string, string[]>();
  for (const e of entries) {
    const ids = byType.get(e.contentType) ?? [];
    if (!ids.length) byType.set(e.contentType, ids);
    ids.push(e.documentId);
  }
  return byType;
}

/** What the admin of the current request may do (Strapi puts it on the request's state). */
export type AdminAbility = unknown;

/**
 * The ability of the admin of the current request, or null outside an admin request (then no
 * title is shown). Read it while the request is handled: a stream written later may run outside.
 */
export function requestAbility(strapi: Core.Strapi): AdminAbility | null {
  const ctx = strapi.requestContext.get() as { state?: { userAbility?: unknown } } | undefined;
  return ctx?.state?.userAbility ?? null;
}

/** The Content Manager's own read check for `uid`, for this admin. */
function readChecker(strapi: Core.Strapi, uid: string, userAbility: AdminAbility) {
  return strapi
    .plugin('content-manager')
    .service('permission-checker')
    .create({ userAbility, model: uid }) as PermissionChecker;
}

/**
 * Titles of entries for display, only where the admin (of the current request, unless given) may read them in
 * the Content Manager (`explorer.read` on the content type, its main field, and the entry itself
 * when the permission has conditions); the others stay without a title and the dashboard shows
 * their documentId. The title is the one the Content Manager lists: the draft's where the content
 * type has drafts. Read straight from the database, in all locales. Key: `uid|documentId|locale`.
 */
export async function entryTitles(
  strapi: Core.Strapi,
  entries: Array<{ contentType: string; documentId: string; locale: string | null }>,
  ability: AdminAbility | null = requestAbility(strapi)
): Promise<Map<string, string>> {
  const titles = new Map<string, string>();
  if (!ability) return titles;
  for (const [uid, ids] of idsByType(entries)) {
    const field = await mainField(strapi, uid);
    if (!field) continue;
    const checker = readChecker(strapi, uid, ability);
    if (checker.cannot.read(undefined, field)) continue;
    // The permission's conditions (e.g. "is creator"), as filters.
    const { filters } = await checker.sanitizedQuery.read({});
    const allowed = filters
      ? (strapi.get('query-params').transform(uid, { filters }) as { where?: object }).where
      : undefined;
    const byId = { documentId: { $in: ids } };
    const rows = (await strapi.db.query(uid as never).findMany({
      where: allowed ? { $and: [byId, allowed] } : byId,
      select: ['documentId', 'locale', 'publishedAt', field],
    })) as Array<Record<string, unknown>>;
    // Drafts first: where there is a draft, its title is the one the Content Manager lists.
    rows.sort((a, b) => Number(Boolean(a.publishedAt)) - Number(Boolean(b.publishedAt)));
    for (const row of rows) {
      const title = row[field];
      if (typeof title !== 'string') continue;
      const key = `${uid}|${row.documentId}`;
      if (!titles.has(`${key}|${row.locale ?? ''}`))
        titles.set(`${key}|${row.locale ?? ''}`, title);
      if (!titles.has(`${key}|*`)) titles.set(`${key}|*`, title);
    }
  }
  return titles;
}

/**
 * Titles of the published versions of `entries`, with no admin's permissions: for readers outside
 * the admin panel (the Content API's figures, which list only published entries of types the
 * caller may find, and the weekly report's e-mail), who never see a draft's title. An entry with
 * no published version stays without a title. Key as entryTitles.
 */
export async function publishedTitles(
  strapi: Core.Strapi,
  entries: Array<{ contentType: string; documentId: string; locale: string | null }>
): Promise<Map<string, string>> {
  const titles = new Map<string, string>();
  for (const [uid, ids] of idsByType(entries)) {
    const field = await mainField(strapi, uid);
    if (!field) continue;
    const model = strapi.contentTypes[uid as keyof typeof strapi.contentTypes] as {
      options?: { draftAndPublish?: boolean };
    };
    const where: Record<string, unknown> = { documentId: { $in: ids } };
    if (model.options?.draftAndPublish) where.publishedAt = { $notNull: true };
    const rows = (await strapi.db.query(uid as never).findMany({
      where,
      select: ['documentId', 'locale', field],
    })) as Array<Record<string, unknown>>;
    for (const row of rows) {
      const title = row[field];
      if (typeof title !== 'string') continue;
      const key = `${uid}|${row.documentId}`;
      titles.set(`${key}|${row.locale ?? ''}`, title);
      if (!titles.has(`${key}|*`)) titles.set(`${key}|*`, title);
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
