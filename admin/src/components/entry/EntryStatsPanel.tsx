import { lazy, Suspense } from 'react';
import { Loader } from '@strapi/design-system';
import { useQueryParams, useRBAC } from '@strapi/strapi/admin';
import { PERMISSIONS } from '../../../../shared/permissions';
import { useTranslate } from '../../hooks/use-translate';
import { PluginQueries } from '../../plugin-queries';

// The numbers and the request load only when an entry with the panel is open.
const EntryStats = lazy(() => import('./EntryStats'));

// Stable across renders: useRBAC re-checks whenever the array it is given changes.
const READ = [{ action: PERMISSIONS.read, subject: null }];
const KINDS = ['collection-types', 'single-types'];

/** What the Content Manager passes a side panel (a subset of its `PanelComponentProps`). */
interface EditViewProps {
  model: string;
  collectionType: string;
  documentId?: string;
  document?: { documentId?: string };
}

type I18nQuery = { plugins?: { i18n?: { locale?: string } } };

/**
 * The Content Manager side panel with an entry's usage: a description for the edit view's
 * `addEditViewSidePanel` API (called like a hook), or null — for roles without the plugin's `read`
 * permission, while an entry is being created, and for content types that are not the app's own.
 */
export const EntryStatsPanel = ({ model, collectionType, documentId, document }: EditViewProps) => {
  const t = useTranslate();
  const [{ query }] = useQueryParams<I18nQuery>();
  const { allowedActions, isLoading } = useRBAC(READ);
  // A single type's edit view has no id in its URL; its document carries it.
  const id = documentId ?? document?.documentId;

  if (isLoading || !allowedActions.canRead) return null;
  if (!model.startsWith('api::') || !KINDS.includes(collectionType) || !id || !document) {
    return null;
  }

  return {
    title: t('entry.title'),
    content: (
      <PluginQueries>
        <Suspense fallback={<Loader small>{t('state.loading')}</Loader>}>
          <EntryStats
            contentType={model}
            documentId={id}
            locale={query.plugins?.i18n?.locale ?? null}
          />
        </Suspense>
      </PluginQueries>
    ),
  };
};
