import './chart-setup';
import { Box, Typography } from '@strapi/design-system';
import { Line } from 'react-chartjs-2';
import { useIntl } from 'react-intl';
import { useTheme } from 'styled-components';
import type { EditorialMark } from '../../../shared/contracts/insights';
import type { Interval, OverviewResponse } from '../../../shared/contracts/stats';
import { useTranslate } from '../hooks/use-translate';
import { Panel } from './Panel';

type Series = OverviewResponse['data']['series'];

interface Props {
  series: Series;
  interval: Interval;
  /** Editorial activity on the chart's points, drawn as annotations and listed below. */
  marks?: EditorialMark[];
}

/**
 * Pageviews and visitors over the range, in the admin theme's colours (light or dark), with the
 * editorial activity (publications, updates) marked on the days it happened.
 */
export const TrafficChart = ({ series, interval, marks = [] }: Props) => {
  const t = useTranslate();
  const { formatDate, formatTime } = useIntl();
  const { colors } = useTheme() as unknown as { colors: Record<string, string> };

  const labels = series.map((point) =>
    interval === 'hour'
      ? formatTime(point.t, { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' })
      : formatDate(point.t, { month: 'short', day: 'numeric', timeZone: 'UTC' })
  );
  const indexOf = new Map(series.map((p, i) => [p.t, i]));
  const placed = marks.flatMap((m) =>
    indexOf.has(m.t) ? [{ ...m, index: indexOf.get(m.t)!, label: labels[indexOf.get(m.t)!] }] : []
  );
  const published = placed.filter((m) => m.published.length > 0);
  const updates = placed.reduce((sum, m) => sum + m.updates, 0);
  const line = (color: string) => ({
    borderColor: color,
    backgroundColor: color,
    pointRadius: series.length > 40 ? 0 : 2,
    borderWidth: 2,
    tension: 0.25,
  });

  return (
    <Panel title={t('chart.title')} headingGap={4}>
      <Box height="264px" position="relative" data-testid="traffic-chart">
        <Line
          aria-label={t('chart.title')}
          role="img"
          data={{
            labels,
            datasets: [
              {
                label: t('kpi.pageviews'),
                data: series.map((p) => p.pageviews),
                ...line(colors.primary600),
              },
              {
                label: t('kpi.visitors'),
                data: series.map((p) => p.visitors),
                ...line(colors.success500),
              },
            ],
          }}
          options={{
            responsive: true,
            maintainAspectRatio: false,
            animation: false,
            interaction: { mode: 'index', intersect: false },
            plugins: {
              legend: { labels: { color: colors.neutral800 } },
              editorialMarks: {
                color: colors.warning500,
                marks: placed.map((m) => ({ index: m.index, published: m.published.length > 0 })),
              },
            },
            scales: {
              x: { ticks: { color: colors.neutral600 }, grid: { color: colors.neutral150 } },
              y: {
                beginAtZero: true,
                ticks: { color: colors.neutral600, precision: 0 },
                grid: { color: colors.neutral150 },
              },
            },
          }}
        />
      </Box>
      {placed.length ? (
        <Box paddingTop={3} data-testid="editorial-marks">
          <Typography variant="pi" textColor="neutral600" tag="p">
            {t('chart.marksLegend', { updates })}
          </Typography>
          {published.map((m) => (
            <Typography key={m.t} variant="pi" tag="p" textColor="neutral800">
              {t('chart.published', {
                when: m.label,
                // The latest three, then how many more, so a bulk publication stays one line.
                titles: [...m.published]
                  .reverse()
                  .slice(0, 3)
                  .map((e) => e.title ?? t('topContent.untitled', { id: e.documentId }))
                  .join(', '),
                more: Math.max(0, m.published.length - 3),
              })}
            </Typography>
          ))}
        </Box>
      ) : null}
    </Panel>
  );
};
