import './chart-setup';
import { Box, Typography } from '@strapi/design-system';
import { Line } from 'react-chartjs-2';
import { useIntl } from 'react-intl';
import { useTheme } from 'styled-components';
import type { Interval, OverviewResponse } from '../../../shared/contracts/stats';
import { useTranslate } from '../hooks/use-translate';

type Series = OverviewResponse['data']['series'];

/** Pageviews and visitors over the range, in the admin theme's colours (light or dark). */
export const TrafficChart = ({ series, interval }: { series: Series; interval: Interval }) => {
  const t = useTranslate();
  const { formatDate, formatTime } = useIntl();
  const { colors } = useTheme() as unknown as { colors: Record<string, string> };

  const labels = series.map((point) =>
    interval === 'hour'
      ? formatTime(point.t, { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' })
      : formatDate(point.t, { month: 'short', day: 'numeric', timeZone: 'UTC' })
  );
  const line = (color: string) => ({
    borderColor: color,
    backgroundColor: color,
    pointRadius: series.length > 40 ? 0 : 2,
    borderWidth: 2,
    tension: 0.25,
  });

  return (
    <Box background="neutral0" hasRadius shadow="tableShadow" padding={5}>
      <Typography variant="delta" tag="h2">
        {t('chart.title')}
      </Typography>
      <Box paddingTop={4} height="280px" position="relative" data-testid="traffic-chart">
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
            plugins: { legend: { labels: { color: colors.neutral800 } } },
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
    </Box>
  );
};
