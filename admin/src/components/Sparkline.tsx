import { useTheme } from 'styled-components';

interface Props {
  values: number[];
  /** What the line shows, in words (its accessible name). */
  label: string;
  /** In pixels; the area variant fills its container's width. */
  width?: number;
  height?: number;
  /**
   * `line`: a thin straight line (a table row, a widget). `area`: a thicker smoothed line over a
   * shaded area, across the whole width (the entry panel).
   */
  variant?: 'line' | 'area';
  testId?: string;
}

// Drawn in a box this wide and stretched to the container by the area variant.
const AREA_WIDTH = 300;
// A smoothed curve's bend: how far each control point reaches towards the neighbouring points.
const BEND = 0.15;

type Point = [x: number, y: number];

/** Points of the values, x across the width, y from the bottom (0) to the top (the maximum). */
function pointsOf(values: number[], width: number, height: number): Point[] {
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values.map((v, i) => [i * step, height - 2 - (v / max) * (height - 4)]);
}

const xy = ([x, y]: Point) => `${x.toFixed(1)},${y.toFixed(1)}`;

/** A curve through the points; a control point never leaves the box (no dip below zero). */
function smoothPath(points: Point[], height: number): string {
  const at = (i: number) => points[Math.max(0, Math.min(points.length - 1, i))];
  const clampY = ([x, y]: Point): Point => [x, Math.max(0, Math.min(height, y))];
  let d = `M${xy(points[0])}`;
  for (let i = 0; i < points.length - 1; i += 1) {
    const [p0, p1, p2, p3] = [at(i - 1), at(i), at(i + 1), at(i + 2)];
    const c1 = clampY([p1[0] + BEND * (p2[0] - p0[0]), p1[1] + BEND * (p2[1] - p0[1])]);
    const c2 = clampY([p2[0] - BEND * (p3[0] - p1[0]), p2[1] - BEND * (p3[1] - p1[1])]);
    d += ` C${xy(c1)} ${xy(c2)} ${xy(p2)}`;
  }
  return d;
}

/** Values over a range as a small trend line, without axes: only the shape of the numbers. */
export const Sparkline = ({
  values,
  label,
  width = 96,
  height = 24,
  variant = 'line',
  testId = 'sparkline',
}: Props) => {
  const { colors } = useTheme() as unknown as { colors: Record<string, string> };
  if (variant === 'line') {
    return (
      <svg
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={label}
        data-testid={testId}
      >
        <polyline
          points={pointsOf(values, width, height).map(xy).join(' ')}
          fill="none"
          stroke={colors.primary600}
          strokeWidth={1.5}
          strokeLinejoin="round"
        />
      </svg>
    );
  }
  const points = pointsOf(values, AREA_WIDTH, height);
  const line = points.length ? smoothPath(points, height) : '';
  return (
    <svg
      width="100%"
      height={height}
      viewBox={`0 0 ${AREA_WIDTH} ${height}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={label}
      data-testid={testId}
      style={{ display: 'block' }}
    >
      {line ? (
        <>
          <path d={`${line} L${AREA_WIDTH},${height} L0,${height} Z`} fill={colors.primary100} />
          <path
            d={line}
            fill="none"
            stroke={colors.primary600}
            strokeWidth={2}
            strokeLinejoin="round"
            // The box is stretched to the width: the line keeps its thickness.
            vectorEffect="non-scaling-stroke"
          />
        </>
      ) : null}
    </svg>
  );
};
