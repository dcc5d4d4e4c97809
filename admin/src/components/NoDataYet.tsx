import { Box, Flex, Typography } from '@strapi/design-system';
import { ChartBubble } from '@strapi/icons';
import { useTranslate } from '../hooks/use-translate';
import { Panel } from './Panel';

const SNIPPET = '<script defer src="/api/usage-analytics/script.js"></script>';

/** The empty state: how views start being counted. */
export const NoDataYet = () => {
  const t = useTranslate();
  return (
    <Panel padding={8} testId="no-data">
      <Flex direction="column" alignItems="center" gap={4}>
        <ChartBubble width="4rem" height="4rem" fill="neutral500" aria-hidden />
        <Typography variant="beta" tag="h2">
          {t('empty.title')}
        </Typography>
        <Typography textColor="neutral600" textAlign="center">
          {t('empty.tracker')}
        </Typography>
        <Box background="neutral100" padding={3} hasRadius>
          <Typography tag="code" fontWeight="semiBold">
            {SNIPPET}
          </Typography>
        </Box>
        <Typography textColor="neutral600" textAlign="center">
          {t('empty.apiReads')}
        </Typography>
      </Flex>
    </Panel>
  );
};
