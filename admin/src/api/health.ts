import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useFetchClient } from '@strapi/strapi/admin';
import type { HealthResponse } from '../../../shared/contracts/health';
import { healthPresetQuery, type HealthPreset } from '../health-presets';

const HEALTH_REFRESH_MS = 60_000;

/**
 * The system health report from `GET /usage-analytics/health` for a period ending now. The window
 * is computed when the request is sent, so each refresh (once a minute, as request stats land)
 * moves it forward.
 */
export function useHealth(preset: HealthPreset) {
  const { get } = useFetchClient();
  return useQuery({
    queryKey: ['usage-analytics', 'health', preset],
    queryFn: async () =>
      (
        await get<HealthResponse>('/usage-analytics/health', {
          params: healthPresetQuery(preset),
        })
      ).data.data,
    placeholderData: keepPreviousData,
    refetchInterval: HEALTH_REFRESH_MS,
    staleTime: 0,
  });
}
