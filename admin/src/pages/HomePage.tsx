import { Flex, Grid, Main, Typography } from '@strapi/design-system';
import { Layouts, Page } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useContentTypes } from '../api/content-types';
import { useContentTable, useEditorial, useInsights } from '../api/insights';
import { useOverview } from '../api/overview';
import { useStatus } from '../api/status';
import { DashboardFilters } from '../components/DashboardFilters';
import { ExportButtons } from '../components/ExportButtons';
import { InsightsPanel } from '../components/InsightsPanel';
import { HealthLink } from '../components/HealthLink';
import { KpiCards } from '../components/KpiCards';
import { NoDataYet } from '../components/NoDataYet';
import { Panel } from '../components/Panel';
import { RankedTable } from '../components/RankedTable';
import { RealtimePanel } from '../components/RealtimePanel';
import { TopContentTable } from '../components/TopContentTable';
import { TrafficChart } from '../components/TrafficChart';
import { useDashboardFilters } from '../hooks/use-dashboard-filters';
import { useTranslate } from '../hooks/use-translate';

const PAGE_SIZE = 10;

/** The content dashboard: what was read, by how many, from where, for the chosen range. */
export const HomePage = () => {
  const t = useTranslate();
  const { formatDate } = useIntl();
  const { filters, query, rangeError, update } = useDashboardFilters();
  const valid = !rangeError;
  const overview = useOverview(query, valid);
  const order = { sort: filters.sort ?? 'views', order: filters.order ?? 'desc' } as const;
  const page = Math.max(1, Number(filters.page) || 1);
  const table = useContentTable(
    { ...query, ...order, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
    valid
  );
  const insights = useInsights(query, valid);
  const editorial = useEditorial(query, valid);
  const contentTypes = useContentTypes();
  const status = useStatus();

  if (valid && overview.isLoading) return <Page.Loading />;

  const data = overview.data;
  const types = contentTypes.data ?? [];
  const locales = Array.from(
    new Set((data?.topContent ?? []).flatMap((row) => (row.locale ? [row.locale] : [])))
  );
  const hasData =
    !!data && (data.totals.pageviews > 0 || data.totals.events > 0 || data.previous.pageviews > 0);
  const asOf = (iso: string) =>
    formatDate(iso, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';

  return (
    <Main>
      <Page.Title>{t('plugin.name')}</Page.Title>
      <Layouts.Header
        title={t('home.title')}
        subtitle={t('home.subtitle')}
        primaryAction={valid ? <ExportButtons query={query} order={order} /> : undefined}
        secondaryAction={<HealthLink />}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Flex justifyContent="space-between" alignItems="flex-end" wrap="wrap" gap={4}>
            <DashboardFilters
              filters={filters}
              contentTypes={types}
              locales={locales}
              rangeError={rangeError}
              onChange={update}
            />
            {data ? (
              <Typography variant="pi" textColor="neutral600" data-testid="data-as-of">
                {data.rolledUpAt
                  ? t('asOf.rolledUp', {
                      rolledUpAt: asOf(data.rolledUpAt),
                      generatedAt: asOf(data.generatedAt),
                    })
                  : t('asOf.live', { generatedAt: asOf(data.generatedAt) })}
              </Typography>
            ) : null}
          </Flex>

          {status.data && !status.data.collecting ? (
            <Typography textColor="warning600" data-testid="collection-paused">
              {t('status.paused')}
            </Typography>
          ) : null}

          {rangeError ? (
            <Panel padding={6} role="alert">
              <Typography textColor="danger600" data-testid="range-error">
                {t(`range.error.${rangeError}`)}
              </Typography>
            </Panel>
          ) : overview.isError || !data ? (
            <Panel padding={6} error={t('state.error')} onRetry={() => overview.refetch()} />
          ) : !hasData && (filters.contentType || filters.locale) ? (
            <Panel padding={6}>
              <Typography textColor="neutral600" data-testid="no-match">
                {t('state.noMatch')}
              </Typography>
            </Panel>
          ) : !hasData ? (
            <NoDataYet />
          ) : (
            <>
              <KpiCards totals={data.totals} previous={data.previous} />
              <Grid.Root gap={4}>
                <Grid.Item col={8} s={12} direction="column" alignItems="stretch">
                  <TrafficChart
                    series={data.series}
                    interval={data.range.interval}
                    marks={editorial.data?.marks}
                  />
                </Grid.Item>
                <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                  <RealtimePanel />
                </Grid.Item>
              </Grid.Root>
              <TopContentTable
                table={table.data}
                isLoading={table.isFetching}
                isError={table.isError}
                onRetry={() => table.refetch()}
                contentTypes={types}
                onSort={(sort, direction) => update({ sort, order: direction })}
                onPage={(next) => update({ page: next > 1 ? String(next) : null })}
              />
              <InsightsPanel
                insights={insights.data}
                isLoading={insights.isFetching}
                isError={insights.isError}
                onRetry={() => insights.refetch()}
                contentTypes={types}
              />
              <Grid.Root gap={4}>
                {(
                  [
                    ['topPaths', 'path', data.topPaths],
                    ['topReferrers', 'referrer', data.topReferrers],
                    ['topCampaigns', 'campaign', data.topCampaigns],
                    ['devices', 'device', data.devices],
                    ['browsers', 'browser', data.browsers],
                  ] as const
                ).map(([key, column, rows]) => (
                  <Grid.Item key={key} col={6} s={12} direction="column" alignItems="stretch">
                    <RankedTable
                      title={t(`tables.${key}`)}
                      labelHeader={t(`tables.${column}`)}
                      primaryHeader={t('kpi.pageviews')}
                      secondaryHeader={t('kpi.visitors')}
                      rows={rows.map((r) => ({
                        label: r.value,
                        primary: r.pageviews,
                        secondary: r.visitors,
                      }))}
                    />
                  </Grid.Item>
                ))}
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <RankedTable
                    title={t('tables.events')}
                    labelHeader={t('tables.event')}
                    primaryHeader={t('tables.count')}
                    secondaryHeader={t('kpi.visitors')}
                    rows={data.events.map((e) => ({
                      label: e.name,
                      primary: e.count,
                      secondary: e.visitors,
                    }))}
                  />
                </Grid.Item>
              </Grid.Root>
            </>
          )}
        </Flex>
      </Layouts.Content>
    </Main>
  );
};
