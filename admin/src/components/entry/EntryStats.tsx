import { Box, Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { useEntryStats, type EntryRef } from '../../api/entry-stats';
import { formatDuration } from '../../format-duration';
import { useTranslate } from '../../hooks/use-translate';
import { RequestState } from '../Panel';
import { Sparkline } from '../Sparkline';

const RECENT_ACTIVITY = 5;
const ACTIONS = ['create', 'update', 'publish', 'unpublish', 'delete', 'discardDraft'];

/** The panel's body: 30-day numbers with a sparkline of daily views, and recent editorial activity. */
const EntryStats = (entry: EntryRef) => {
  const t = useTranslate();
  const { formatNumber, formatDate } = useIntl();
  const stats = useEntryStats(entry);

  if (stats.isLoading || stats.isError || !stats.data) {
    return (
      <RequestState
        loading={stats.isLoading}
        error={t('entry.error')}
        errorTestId="entry-stats-error"
        onRetry={() => stats.refetch()}
        // The Content Manager's side panel is the card here: its own, quieter button.
        retryVariant="tertiary"
      />
    );
  }

  const { totals, series, editorial } = stats.data;
  const recent = editorial.slice(-RECENT_ACTIVITY).reverse();
  const numbers = [
    ['views', formatNumber(totals.views)],
    ['visitors', formatNumber(totals.visitors)],
    ['engaged', formatDuration(totals.avgEngagedSeconds)],
  ] as const;

  return (
    <Flex direction="column" alignItems="stretch" gap={4} width="100%" data-testid="entry-stats">
      {totals.views === 0 ? (
        <Typography textColor="neutral600" data-testid="entry-no-views">
          {t('entry.noViews')}
        </Typography>
      ) : (
        <>
          <Flex gap={3} wrap="wrap" justifyContent="space-between">
            {numbers.map(([key, value]) => (
              <Flex key={key} direction="column" alignItems="flex-start">
                <Typography variant="beta" tag="p" data-testid={`entry-${key}`}>
                  {value}
                </Typography>
                <Typography variant="pi" textColor="neutral600">
                  {t(`entry.${key}`)}
                </Typography>
              </Flex>
            ))}
          </Flex>
          <Sparkline
            values={series.map((p) => p.views)}
            label={t('entry.sparkline')}
            variant="area"
            height={48}
            testId="entry-sparkline"
          />
        </>
      )}
      <Box>
        <Typography variant="sigma" textColor="neutral600" tag="h3">
          {t('entry.activity')}
        </Typography>
        {recent.length === 0 ? (
          <Typography variant="pi" textColor="neutral600" tag="p">
            {t('entry.noActivity')}
          </Typography>
        ) : (
          <Flex tag="ul" direction="column" alignItems="stretch" gap={2} paddingTop={2}>
            {recent.map((item, i) => (
              <Flex
                tag="li"
                key={`${item.t}-${i}`}
                direction="column"
                alignItems="flex-start"
                data-testid="entry-activity"
              >
                <Typography variant="omega" fontWeight="semiBold">
                  {ACTIONS.includes(item.action) ? t(`entry.action.${item.action}`) : item.action}
                  {item.locale ? ` (${item.locale})` : ''}
                </Typography>
                <Typography variant="pi" textColor="neutral600">
                  {formatDate(item.t, { dateStyle: 'medium', timeStyle: 'short' })}
                </Typography>
              </Flex>
            ))}
          </Flex>
        )}
      </Box>
    </Flex>
  );
};

export default EntryStats;
