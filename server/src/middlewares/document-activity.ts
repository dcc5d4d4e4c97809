import type { Core } from '@strapi/strapi';
import { getService } from '../get-service';

const TRACKED_ACTIONS = new Set([
  'create',
  'update',
  'delete',
  'publish',
  'unpublish',
  'discardDraft',
]);

interface DocumentContext {
  uid: string;
  action: string;
  params?: { documentId?: unknown; locale?: unknown };
}

/**
 * Document service middleware: records editorial activity (create, update, publish, unpublish,
 * delete, discardDraft) per content type, documentId and locale, with no user identity. It runs
 * after the action, only reads its result, and writes to the plugin's own buffer, so it can
 * neither change the document nor trigger itself again.
 */
export const createDocumentActivity = (strapi: Core.Strapi) => {
  // Reads (most document calls, one per Content API read) go straight through: no async frame.
  return (context: DocumentContext, next: () => Promise<unknown>) =>
    TRACKED_ACTIONS.has(context.action) && String(context.uid).startsWith('api::')
      ? recordAfter(strapi, context, next)
      : next();
};

async function recordAfter(
  strapi: Core.Strapi,
  context: DocumentContext,
  next: () => Promise<unknown>
): Promise<unknown> {
  const result = await next();
  try {
    const config = getService(strapi, 'plugin-config').get();
    if (!config.enabled || config.excludeContentTypes.includes(context.uid)) return result;
    const fromResult = (result as { documentId?: unknown } | null)?.documentId;
    const documentId = context.params?.documentId ?? fromResult;
    const locale = context.params?.locale;
    getService(strapi, 'event-pipeline').pushEditorial({
      ts: Date.now(),
      content_type: context.uid,
      document_id: typeof documentId === 'string' ? documentId : null,
      locale: typeof locale === 'string' && locale !== '*' ? locale : null,
      action: context.action,
    });
  } catch (error) {
    strapi.log.error(
      `[usage-analytics] could not record editorial activity: ${error instanceof Error ? error.message : error}`
    );
  }
  return result;
}
