import { Box, Flex, Grid, Link, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { Link as RouterLink } from 'react-router-dom';
import type { EntryRef, InsightsResponse, Movement } from '../../../shared/contracts/insights';
import type { ContentTypeInfo } from '../api/content-types';
import { useTranslate } from '../hooks/use-translate';
import { Panel } from './Panel';
import { contentManagerPath } from './TopContentTable';

interface Props {
  insights: InsightsResponse['data'] | undefined;
  isLoading: boolean;
  isError: boolean;
  onRetry: () => void;
  contentTypes: ContentTypeInfo[];
}

/** What deserves an editor's attention: unread publications, fading and moving entries. */
export const InsightsPanel = ({ insights, isLoading, isError, onRetry, contentTypes }: Props) => {
  const t = useTranslate();
  const { formatNumber } = useIntl();
  const byUid = new Map(contentTypes.map((ct) => [ct.uid, ct]));

  const entryLink = (e: EntryRef) => (
    <Link
      tag={RouterLink}
      to={contentManagerPath({ ...e, locale: e.locale } as never, byUid.get(e.contentType)?.kind)}
    >
      {e.title || t('topContent.untitled', { id: e.documentId })}
    </Link>
  );
  const change = (m: Movement) =>
    t('insights.change', {
      previous: formatNumber(m.previous),
      current: formatNumber(m.current),
      change: `${m.change > 0 ? '+' : ''}${formatNumber(m.change)}`,
    });

  const section = (key: string, items: Array<{ key: string; node: React.ReactNode }>) => (
    <Grid.Item col={4} m={6} s={12} direction="column" alignItems="stretch">
      <Box data-testid={`insights-${key}`}>
        <Typography variant="sigma" tag="h3" textColor="neutral600">
          {t(`insights.${key}`)}
        </Typography>
        <Typography variant="pi" textColor="neutral500" tag="p">
          {t(`insights.${key}.hint`)}
        </Typography>
        <Box paddingTop={2}>
          {items.length === 0 ? (
            <Typography variant="pi" textColor="neutral600">
              {t('insights.none')}
            </Typography>
          ) : (
            <Flex tag="ul" direction="column" alignItems="stretch" gap={2}>
              {items.map((item) => (
                <li key={item.key}>{item.node}</li>
              ))}
            </Flex>
          )}
        </Box>
      </Box>
    </Grid.Item>
  );
  const movementItems = (list: Movement[]) =>
    list.map((m) => ({
      key: `${m.contentType}|${m.documentId}|${m.locale ?? ''}`,
      node: (
        <Flex direction="column" alignItems="flex-start">
          {entryLink(m)}
          <Typography variant="pi" textColor="neutral600">
            {change(m)}
          </Typography>
        </Flex>
      ),
    }));

  return (
    <Panel
      title={t('insights.title')}
      testId="insights"
      refreshing={isLoading}
      error={isError && !insights ? t('state.error') : null}
      onRetry={onRetry}
    >
      {insights ? (
        <Grid.Root gap={5}>
          {section(
            'neverViewed',
            insights.neverViewed.map((e) => ({
              key: `${e.contentType}|${e.documentId}`,
              node: entryLink(e),
            }))
          )}
          {section('decaying', movementItems(insights.decaying))}
          {section('movers', [
            ...movementItems(insights.movers.gains),
            ...movementItems(insights.movers.losses),
          ])}
        </Grid.Root>
      ) : null}
    </Panel>
  );
};
