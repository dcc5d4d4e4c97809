import { useQuery } from '@tanstack/react-query';
import { useFetchClient } from '@strapi/strapi/admin';
import type { StatusResponse } from '../../../shared/contracts/status';

/** The plugin's status from `GET /usage-analytics/status`. */
export function useStatus() {
  const { get } = useFetchClient();
  return useQuery({
    queryKey: ['usage-analytics', 'status'],
    queryFn: async () => (await get<StatusResponse>('/usage-analytics/status')).data.data,
  });
}
