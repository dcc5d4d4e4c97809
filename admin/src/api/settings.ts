import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { isFetchError, useFetchClient } from '@strapi/strapi/admin';
import type {
  SettingsConflictResponse,
  SettingsErrorResponse,
  SettingsPutBody,
  SettingsResponse,
} from '../../../shared/contracts/settings';
import { forgetListViewAccess } from '../components/list-view/list-view-access';

const KEY = ['usage-analytics', 'settings'];

/** The effective, file and overridden settings from `GET /usage-analytics/settings`. */
export function useSettings() {
  const { get } = useFetchClient();
  return useQuery({
    queryKey: KEY,
    queryFn: async () => (await get<SettingsResponse>('/usage-analytics/settings')).data.data,
    // Read again whenever the page opens: the form starts from what is stored now.
    staleTime: 0,
  });
}

/** The server's 400: one message per setting key (key '' for the request as a whole). */
export class SettingsRejected extends Error {
  constructor(readonly errors: Array<{ key: string; message: string }>) {
    super(errors.map((e) => e.message).join('; '));
  }
}

/** The server's 409: the settings were saved meanwhile; the page now shows `current`. */
export class SettingsConflict extends Error {
  constructor(
    readonly current: SettingsResponse['data'],
    message: string
  ) {
    super(message);
  }
}

/**
 * `PUT /usage-analytics/settings`; rejects with SettingsRejected on a validation error, and with
 * SettingsConflict (after putting the current settings in the query cache) on a stale version.
 */
export function useSaveSettings() {
  const { put } = useFetchClient();
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: SettingsPutBody) => {
      try {
        return (await put<SettingsResponse>('/usage-analytics/settings', body)).data.data;
      } catch (error) {
        const body = isFetchError(error)
          ? (error.response?.data as SettingsErrorResponse | SettingsConflictResponse | undefined)
          : undefined;
        if (body?.error?.name === 'ConflictError') {
          client.setQueryData(KEY, body.error.details.current);
          throw new SettingsConflict(body.error.details.current, body.error.message);
        }
        if (body?.error?.name === 'ValidationError') {
          throw new SettingsRejected(
            body.error.details.errors.map((e) => ({
              key: e.path.join('.'),
              message: e.message,
            }))
          );
        }
        throw error;
      }
    },
    onSuccess: (data) => {
      client.setQueryData(KEY, data);
      // The list views' column follows the saved switch from the next list view on.
      forgetListViewAccess();
    },
  });
}
