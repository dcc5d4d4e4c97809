import { Box, Flex } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { HealthResponse } from '../../../../shared/contracts/health';
import { DAY_MS } from '../../../../shared/time';
import { useTranslate } from '../../hooks/use-translate';
import { TimeSeriesChart, type Series } from './TimeSeriesChart';

type Health = HealthResponse['data'];

const INSTANCE_COLORS = [
  'primary600',
  'success600',
  'warning600',
  'danger600',
  'secondary600',
  'alternative600',
];
const MB = 1024 * 1024;

/** Throughput, error rate, latency percentiles, and CPU / memory / event loop per instance. */
export const HealthCharts = ({ health }: { health: Health }) => {
  const t = useTranslate();
  const { formatNumber, formatDate } = useIntl();
  const buckets = health.throughput.map((p) => p.t);
  const long = Date.parse(health.to) - Date.parse(health.from) > DAY_MS;
  const labels = buckets.map((iso) =>
    formatDate(iso, {
      timeZone: 'UTC',
      ...(health.interval === 'day'
        ? { month: 'short', day: 'numeric' }
        : long
          ? { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
          : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
    })
  );

  const count = (v: number) => formatNumber(v, { maximumFractionDigits: 1 });
  const ms = (v: number) => `${formatNumber(v, { maximumFractionDigits: 1 })} ms`;
  const percent = (v: number) => `${formatNumber(v, { maximumFractionDigits: 2 })} %`;
  const megabytes = (v: number) => `${formatNumber(v, { maximumFractionDigits: 1 })} MB`;

  // One line per instance, on the same time axis as the request charts (null where it sent nothing).
  const instanceIds = Array.from(new Set(health.resources.map((r) => r.instance))).sort();
  const perInstance = (pick: (r: Health['resources'][number]) => number): Series[] =>
    instanceIds.map((id, i) => {
      const byTime = new Map(
        health.resources.filter((r) => r.instance === id).map((r) => [r.t, pick(r)])
      );
      return {
        label: id,
        color: INSTANCE_COLORS[i % INSTANCE_COLORS.length],
        values: buckets.map((b) => byTime.get(b) ?? null),
      };
    });

  const unit = t(`health.per.${health.interval}`);
  const charts = [
    {
      key: 'throughput',
      title: t('health.chart.throughput', { unit }),
      format: count,
      series: [
        {
          label: t('health.requests'),
          color: 'primary600',
          values: health.throughput.map((p) => p.requests),
        },
        {
          label: t('health.errors'),
          color: 'danger600',
          values: health.throughput.map((p) => p.errors),
        },
      ],
    },
    {
      key: 'error-rate',
      title: t('health.chart.errorRate'),
      format: percent,
      series: [
        {
          label: t('health.errorRate'),
          color: 'danger600',
          values: health.throughput.map((p) => (p.requests ? (100 * p.errors) / p.requests : null)),
        },
      ],
    },
    {
      key: 'latency',
      title: t('health.chart.latency'),
      format: ms,
      series: (['p50', 'p95', 'p99'] as const).map((q, i) => ({
        label: q,
        color: ['success600', 'warning600', 'danger600'][i],
        values: health.latency.map((p) => p[q]),
      })),
    },
    {
      key: 'cpu',
      title: t('health.chart.cpu'),
      format: percent,
      series: perInstance((r) => r.cpu),
    },
    {
      key: 'memory',
      title: t('health.chart.memory'),
      format: megabytes,
      fromZero: false,
      series: perInstance((r) => r.rss / MB),
    },
    {
      key: 'event-loop',
      title: t('health.chart.eventLoop'),
      format: ms,
      series: perInstance((r) => r.eventLoopP99),
    },
  ];

  return (
    <Flex gap={4} wrap="wrap" alignItems="stretch">
      {charts.map(({ key, title, format, series, fromZero }) => (
        // Two charts a row when there is room for them, one on a narrow window.
        <Box key={key} flex="1 1 440px" minWidth={0}>
          <TimeSeriesChart
            title={title}
            testId={`health-chart-${key}`}
            labels={labels}
            series={series}
            format={format}
            fromZero={fromZero}
          />
        </Box>
      ))}
    </Flex>
  );
};
