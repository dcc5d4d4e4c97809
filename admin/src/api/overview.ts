import { useQuery, keepPreviousData } from '@tanstack/react-query';
import { useFetchClient } from '@strapi/strapi/admin';
import type {
  OverviewResponse,
  RangeQuery,
  RealtimeResponse,
} from '../../../shared/contracts/stats';

/** The dashboard's numbers from `GET /usage-analytics/overview` for a range and filters. */
export function useOverview(query: RangeQuery, enabled = true) {
  const { get } = useFetchClient();
  return useQuery({
    queryKey: ['usage-analytics', 'overview', query],
    queryFn: async () =>
      (await get<OverviewResponse>('/usage-analytics/overview', { params: query })).data.data,
    // Keep showing the last range while the next one loads, instead of flashing a spinner.
    placeholderData: keepPreviousData,
    enabled,
  });
}

const REALTIME_REFRESH_MS = 30_000;

/** Visitors and pageviews of the last 30 minutes from `GET /usage-analytics/realtime`. */
export function useRealtime() {
  const { get } = useFetchClient();
  return useQuery({
    queryKey: ['usage-analytics', 'realtime'],
    queryFn: async () => (await get<RealtimeResponse>('/usage-analytics/realtime')).data.data,
    refetchInterval: REALTIME_REFRESH_MS,
    staleTime: 0,
  });
}
