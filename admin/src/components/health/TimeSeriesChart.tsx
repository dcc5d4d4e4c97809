import '../chart-setup';
import { Box } from '@strapi/design-system';
import type { ScriptableContext } from 'chart.js';
import { Line } from 'react-chartjs-2';
import { useTheme } from 'styled-components';
import { Panel } from '../Panel';

export interface Series {
  label: string;
  /** A theme colour name, e.g. `primary600`. */
  color: string;
  values: (number | null)[];
}

interface Props {
  title: string;
  testId: string;
  labels: string[];
  series: Series[];
  /** How a value reads on the y axis and in the tooltip. */
  format: (value: number) => string;
  /** Start the y axis at zero (counts, rates) or fit it to the data (memory). */
  fromZero?: boolean;
}

/**
 * Dots mark the values of a line with few of them (a fresh instance, a quiet period); a line with
 * many is drawn without, except around a value with no neighbour, which would otherwise vanish.
 */
const pointRadius = (ctx: ScriptableContext<'line'>) => {
  const data = ctx.dataset.data as (number | null)[];
  const i = ctx.dataIndex;
  if (data[i] == null) return 0;
  if (data[i - 1] == null && data[i + 1] == null) return 4;
  return data.filter((v) => v != null).length > 40 ? 0 : 2.5;
};

/** One health chart: lines over the period, in the admin theme's colours (light or dark). */
export const TimeSeriesChart = ({
  title,
  testId,
  labels,
  series,
  format,
  fromZero = true,
}: Props) => {
  const { colors } = useTheme() as unknown as { colors: Record<string, string> };
  return (
    <Panel title={title} headingGap={4} height="100%">
      <Box height="224px" position="relative" data-testid={testId}>
        <Line
          aria-label={title}
          role="img"
          data={{
            labels,
            datasets: series.map((s) => ({
              label: s.label,
              data: s.values,
              borderColor: colors[s.color],
              backgroundColor: colors[s.color],
              pointRadius,
              borderWidth: 2,
              tension: 0.25,
              spanGaps: true,
              // A dot on the axis (a 0 % error rate) is drawn whole, not cut in half.
              clip: 6,
            })),
          }}
          options={{
            responsive: true,
            maintainAspectRatio: false,
            animation: false,
            interaction: { mode: 'index', intersect: false },
            plugins: {
              legend: { labels: { color: colors.neutral800, boxWidth: 12 } },
              tooltip: {
                callbacks: {
                  label: (item) =>
                    `${item.dataset.label}: ${item.parsed.y === null ? '—' : format(item.parsed.y)}`,
                },
              },
            },
            scales: {
              x: {
                ticks: { color: colors.neutral600, maxRotation: 0, autoSkipPadding: 12 },
                grid: { color: colors.neutral150 },
              },
              y: {
                beginAtZero: fromZero,
                // Room above the highest value, so a line or dot at the top never meets the legend.
                grace: '5%',
                ticks: { color: colors.neutral600, callback: (v) => format(Number(v)) },
                grid: { color: colors.neutral150 },
              },
            },
          }}
        />
      </Box>
    </Panel>
  );
};
