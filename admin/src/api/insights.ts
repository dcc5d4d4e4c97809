import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useFetchClient } from '@strapi/strapi/admin';
import type {
  ContentTableQuery,
  ContentTableResponse,
  EditorialResponse,
  InsightsResponse,
} from '../../../shared/contracts/insights';
import type { RangeQuery } from '../../../shared/contracts/stats';

/** One page of the content table from `GET /usage-analytics/content-table`. */
export function useContentTable(query: ContentTableQuery, enabled = true) {
  const { get } = useFetchClient();
  return useQuery({
    queryKey: ['usage-analytics', 'content-table', query],
    queryFn: async () =>
      (await get<ContentTableResponse>('/usage-analytics/content-table', { params: query })).data
        .data,
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** Never-viewed, decaying and moving entries from `GET /usage-analytics/insights`. */
export function useInsights(query: RangeQuery, enabled = true) {
  const { get } = useFetchClient();
  return useQuery({
    queryKey: ['usage-analytics', 'insights', query],
    queryFn: async () =>
      (await get<InsightsResponse>('/usage-analytics/insights', { params: query })).data.data,
    enabled,
  });
}

/** Publications and updates per chart point from `GET /usage-analytics/editorial`. */
export function useEditorial(query: RangeQuery, enabled = true) {
  const { get } = useFetchClient();
  return useQuery({
    queryKey: ['usage-analytics', 'editorial', query],
    queryFn: async () =>
      (await get<EditorialResponse>('/usage-analytics/editorial', { params: query })).data.data,
    enabled,
  });
}
