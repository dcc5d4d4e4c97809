import { Button, Flex } from '@strapi/design-system';
import { Download } from '@strapi/icons';
import { useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin';
import { useState } from 'react';
import type { RangeQuery } from '../../../shared/contracts/stats';
import { PERMISSIONS } from '../../../shared/permissions';
import { useTranslate } from '../hooks/use-translate';

const EXPORT_PERMISSIONS = [{ action: PERMISSIONS.export, subject: null }];

/**
 * CSV downloads of what the dashboard shows (all content rows, the time series), for roles with
 * the export permission only — the server checks it too. The file comes through the admin's
 * authenticated fetch client, then is saved under the name the server gives it.
 */
export const ExportButtons = ({
  query,
  order,
}: {
  query: RangeQuery;
  order: { sort: string; order: string };
}) => {
  const t = useTranslate();
  const { get } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { allowedActions, isLoading } = useRBAC(EXPORT_PERMISSIONS);
  const [busy, setBusy] = useState<string | null>(null);
  if (isLoading || !allowedActions.canExport) return null;

  const download = async (what: 'content' | 'series') => {
    setBusy(what);
    try {
      const res = await get<Blob>(`/usage-analytics/export/${what}.csv`, {
        params: what === 'content' ? { ...query, ...order } : query,
        responseType: 'blob',
      });
      const disposition = res.headers?.get('content-disposition') ?? '';
      const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `usage-analytics-${what}.csv`;
      const url = URL.createObjectURL(res.data);
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch {
      toggleNotification({ type: 'danger', message: t('export.failed') });
    } finally {
      setBusy(null);
    }
  };

  return (
    <Flex gap={2} data-testid="export-buttons">
      {(['content', 'series'] as const).map((what) => (
        <Button
          key={what}
          variant="secondary"
          startIcon={<Download />}
          loading={busy === what}
          onClick={() => download(what)}
        >
          {t(`export.${what}`)}
        </Button>
      ))}
    </Flex>
  );
};
