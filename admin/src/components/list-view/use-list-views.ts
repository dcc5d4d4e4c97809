import { useFetchClient, useQueryParams, useTable } from '@strapi/strapi/admin';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { ListViewViewsResponse } from '../../../../shared/contracts/list-view';

type I18nQuery = { plugins?: { i18n?: { locale?: string } } };

/**
 * The 30-day views of every entry on the list view's current page, in the locale it shows: one
 * `list-view/views` request per page. Each cell calls this with the same rows, so the same query
 * key, and react-query runs the request once for all of them.
 */
export function useListViews(model: string) {
  const rows = useTable('UsageAnalyticsViews', (state) => state.rows) as Array<{
    documentId?: unknown;
  }>;
  const ids = useMemo(
    () =>
      [
        ...new Set(
          rows.map((r) => r.documentId).filter((id): id is string => typeof id === 'string')
        ),
      ].sort(),
    [rows]
  );
  const [{ query }] = useQueryParams<I18nQuery>();
  const locale = query.plugins?.i18n?.locale ?? null;
  const { get } = useFetchClient();
  return useQuery({
    queryKey: ['usage-analytics', 'list-view-views', model, locale, ids],
    queryFn: async () =>
      (
        await get<ListViewViewsResponse>('/usage-analytics/list-view/views', {
          params: {
            contentType: model,
            documentIds: ids.join(','),
            ...(locale ? { locale } : {}),
          },
        })
      ).data.data,
    enabled: ids.length > 0,
  });
}
