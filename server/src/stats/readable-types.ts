import type { Core } from '@strapi/strapi';

/** The API content types of the app (`api::…`), the only ones the Content API routes report on. */
export const apiContentTypes = (strapi: Core.Strapi): string[] =>
  Object.keys(strapi.contentTypes)
    .filter((uid) => uid.startsWith('api::'))
    .sort();

/**
 * The API content types whose `find` action the authenticated caller of a Content API request
 * may use — decided by Strapi itself: `strapi.auth.verify` runs the strategy that authenticated
 * the request (users-permissions: the role's permissions; API tokens: full access, read-only, or
 * the custom token's actions) against the scope `<uid>.find`, as the router does for any route.
 */
export async function readableContentTypes(
  strapi: Core.Strapi,
  auth: unknown
): Promise<Set<string>> {
  const readable = new Set<string>();
  if (!auth) return readable;
  for (const uid of apiContentTypes(strapi)) {
    try {
      await strapi.auth.verify(auth as Parameters<typeof strapi.auth.verify>[0], {
        scope: [`${uid}.find`],
      });
      readable.add(uid);
    } catch {
      // Forbidden or unauthorized for this type: left out.
    }
  }
  return readable;
}
