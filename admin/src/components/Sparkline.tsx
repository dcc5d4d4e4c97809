import { useTheme } from 'styled-components';

const WIDTH = 96;
const HEIGHT = 24;

/** Values over a range as a small line (no axes); `label` says it in words. */
export const Sparkline = ({
  values,
  label,
  width = WIDTH,
  height = HEIGHT,
}: {
  values: number[];
  label: string;
  width?: number;
  height?: number;
}) => {
  const { colors } = useTheme() as unknown as { colors: Record<string, string> };
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const points = values
    .map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`)
    .join(' ');
  return (
    <svg
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
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
