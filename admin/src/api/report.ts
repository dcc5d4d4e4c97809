import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { isFetchError, useFetchClient } from '@strapi/strapi/admin';
import type {
  ReportSettings,
  ReportSettingsResponse,
  ReportTestResponse,
} from '../../../shared/contracts/report';

const KEY = ['usage-analytics', 'report-settings'];

/** The server's message from an error answer, if it sent one. */
export const serverMessage = (error: unknown): string | null =>
  isFetchError(error)
    ? ((error.response?.data as { error?: { message?: string } } | undefined)?.error?.message ??
      null)
    : null;

/** `GET /usage-analytics/report-settings`: the settings, the admin roles, the email provider. */
export function useReportSettings() {
  const { get } = useFetchClient();
  return useQuery({
    queryKey: KEY,
    queryFn: async () =>
      (await get<ReportSettingsResponse>('/usage-analytics/report-settings')).data.data,
    // Read again whenever the page opens: the form starts from what is stored now.
    staleTime: 0,
  });
}

/** `PUT /usage-analytics/report-settings`. */
export function useSaveReportSettings() {
  const { put } = useFetchClient();
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (settings: ReportSettings) =>
      (await put<ReportSettingsResponse>('/usage-analytics/report-settings', settings)).data.data,
    onSuccess: (data) => client.setQueryData(KEY, data),
  });
}

/** `POST /usage-analytics/report/test`: the report of the last 7 days, sent now. */
export function useSendTestReport() {
  const { post } = useFetchClient();
  return useMutation({
    mutationFn: async () =>
      (await post<ReportTestResponse>('/usage-analytics/report/test', {})).data.data,
  });
}
