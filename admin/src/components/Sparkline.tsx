import { useTheme } from 'styled-components';

const WIDTH = 96;
const HEIGHT = 24;

/** A row's views over the range as a small line (no axes); `label` says it in words. */
export const Sparkline = ({ values, label }: { values: number[]; label: string }) => {
  const { colors } = useTheme() as unknown as { colors: Record<string, string> };
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? WIDTH / (values.length - 1) : 0;
  const points = values
    .map((v, i) => `${(i * step).toFixed(1)},${(HEIGHT - 2 - (v / max) * (HEIGHT - 4)).toFixed(1)}`)
    .join(' ');
  return (
    <svg
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={label}
      data-testid="sparkline"
    >
      <polyline
        points={points}
        fill="none"
        stroke={colors.primary600}
        strokeWidth={1.5}
        strokeLinejoin="round"
      />
    </svg>
  );
};
