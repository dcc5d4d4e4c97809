import { isFetchError } from '@strapi/strapi/admin';
import { useOverview } from '../api/overview';
import { presetRange } from '../range-presets';

/** The dashboard's "Last 7 days" link, which both widgets open. */
export const DASHBOARD_LAST_7_DAYS = '/plugins/usage-analytics?range=7d';

/**
 * The overview of the last 7 days, the very request (and react-query key) of the dashboard's
 * "Last 7 days": both widgets share it. `denied` when the server answers 403.
 */
export function useWeekOverview() {
  const overview = useOverview(presetRange('7d'));
  const denied = overview.isError && isFetchError(overview.error) && overview.error.status === 403;
  return { ...overview, denied };
}
