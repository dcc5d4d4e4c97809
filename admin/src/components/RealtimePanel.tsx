import { Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { useRealtime } from '../api/overview';
import { useTranslate } from '../hooks/use-translate';
import { Panel } from './Panel';

/** Visitors and pageviews of the last 30 minutes, refreshed every 30 seconds. */
export const RealtimePanel = () => {
  const t = useTranslate();
  const { formatNumber } = useIntl();
  const realtime = useRealtime();

  return (
    <Panel
      title={t('realtime.title')}
      height="100%"
      testId="realtime"
      loading={realtime.isLoading}
      error={realtime.isError || !realtime.data ? t('realtime.error') : null}
    >
      {realtime.data ? (
        <Flex direction="column" alignItems="stretch" gap={3}>
          <Flex gap={6}>
            <Flex direction="column" alignItems="flex-start">
              <Typography variant="alpha" tag="p">
                {formatNumber(realtime.data.visitors)}
              </Typography>
              <Typography variant="pi" textColor="neutral600">
                {t('kpi.visitors')}
              </Typography>
            </Flex>
            <Flex direction="column" alignItems="flex-start">
              <Typography variant="alpha" tag="p">
                {formatNumber(realtime.data.pageviews)}
              </Typography>
              <Typography variant="pi" textColor="neutral600">
                {t('kpi.pageviews')}
              </Typography>
            </Flex>
          </Flex>
          {realtime.data.topContent.slice(0, 5).map((row) => (
            <Flex
              key={`${row.contentType}:${row.documentId}:${row.locale ?? ''}`}
              justifyContent="space-between"
              gap={2}
            >
              <Typography ellipsis>{row.title || row.documentId}</Typography>
              <Typography textColor="neutral600">{formatNumber(row.views)}</Typography>
            </Flex>
          ))}
        </Flex>
      ) : null}
    </Panel>
  );
};
