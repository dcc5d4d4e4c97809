import '../chart-setup';
import { Box } from '@strapi/design-system';
import { Line } from 'react-chartjs-2';
import { useTheme } from 'styled-components';

interface Props {
  values: number[];
  label: string;
}

/** A bare trend line: no axes, legend or tooltip, only the shape of the numbers. */
export const Sparkline = ({ values, label }: Props) => {
  const { colors } = useTheme() as unknown as { colors: Record<string, string> };
  return (
    <Box height="48px" width="100%" position="relative" data-testid="entry-sparkline">
      <Line
        aria-label={label}
        role="img"
        data={{
          labels: values.map((_, i) => i),
          datasets: [
            {
              data: values,
              borderColor: colors.primary600,
              backgroundColor: colors.primary100,
              fill: true,
              borderWidth: 2,
              pointRadius: 0,
              tension: 0.3,
            },
          ],
        }}
        options={{
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          events: [],
          plugins: { legend: { display: false }, tooltip: { enabled: false } },
          scales: { x: { display: false }, y: { display: false, beginAtZero: true } },
        }}
      />
    </Box>
  );
};
