import { useQuery } from '@tanstack/react-query';
import { useFetchClient } from '@strapi/strapi/admin';
import type { ContentStatsResponse } from '../../../shared/contracts/stats';
import { presetRange } from '../range-presets';

// The numbers of a 30-day window move slowly: reopening an entry within 5 minutes sends nothing.
const ENTRY_STATS_STALE_MS = 5 * 60_000;

export interface EntryRef {
  contentType: string;
  documentId: string;
  locale: string | null;
}

/** One entry's last 30 days from `GET /usage-analytics/content/:contentType/:documentId`. */
export function useEntryStats({ contentType, documentId, locale }: EntryRef) {
  const { get } = useFetchClient();
  const range = presetRange('30d');
  const params = { ...range, ...(locale ? { locale } : {}) };
  return useQuery({
    queryKey: ['usage-analytics', 'entry', contentType, documentId, params],
    queryFn: async () =>
      (
        await get<ContentStatsResponse>(
          `/usage-analytics/content/${encodeURIComponent(contentType)}/${encodeURIComponent(documentId)}`,
          { params }
        )
      ).data.data,
    staleTime: ENTRY_STATS_STALE_MS,
  });
}
