/** A successful Content API read, as the request middleware sees it after the response. */
export type ContentRead =
  | { kind: 'view'; contentType: string; documentId: string; locale: string | null }
  | { kind: 'list'; contentType: string };

const HANDLER = /^(api::[\w-]+\.[\w-]+)\.(find|findOne)$/;

interface Doc {
  documentId?: unknown;
  locale?: unknown;
}

const isDoc = (value: unknown): value is Doc =>
  typeof value === 'object' && value !== null && typeof (value as Doc).documentId === 'string';

/**
 * Classifies a Content API response. findOne, a single type, or a find that returned exactly one
 * document is a view of that document (the common `?filters[slug][$eq]=…` lookup); any other find
 * is a list read of the content type. The view's locale is the returned document's (none when it
 * has none): Strapi ignores a `?locale=` it cannot use, so the query string proves nothing.
 */
export function describeContentRead(handler: unknown, body: unknown): ContentRead | null {
  if (typeof handler !== 'string') return null;
  const match = HANDLER.exec(handler);
  if (!match || typeof body !== 'object' || body === null) return null;
  const contentType = match[1];
  const data = (body as { data?: unknown }).data;
  let doc: unknown = data;
  if (Array.isArray(data)) {
    if (data.length !== 1) return { kind: 'list', contentType };
    doc = data[0];
  }
  if (!isDoc(doc)) return null;
  const locale = typeof doc.locale === 'string' ? doc.locale : null;
  return { kind: 'view', contentType, documentId: doc.documentId as string, locale };
}
