import { Box, Flex, Loader, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { useRealtime } from '../api/overview';
import { useTranslate } from '../hooks/use-translate';

/** Visitors and pageviews of the last 30 minutes, refreshed every 30 seconds. */
export const RealtimePanel = () => {
  const t = useTranslate();
  const { formatNumber } = useIntl();
  const realtime = useRealtime();

  return (
    <Box
      background="neutral0"
      hasRadius
      shadow="tableShadow"
      padding={5}
      height="100%"
      data-testid="realtime"
    >
      <Typography variant="delta" tag="h2">
        {t('realtime.title')}
      </Typography>
      <Box paddingTop={3}>
        {realtime.isLoading ? (
          <Loader small>{t('state.loading')}</Loader>
        ) : realtime.isError || !realtime.data ? (
          <Typography textColor="danger600">{t('realtime.error')}</Typography>
        ) : (
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
        )}
      </Box>
    </Box>
  );
};
