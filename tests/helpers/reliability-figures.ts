import fs from 'node:fs';
import path from 'node:path';

/**
 * One measured figure of the reliability suite: what was checked, the value measured, the
 * criterion it is judged by and whether it met it. Each test file appends its figures to one JSON
 * Lines file; scripts/test-reliability.mjs prints them as a single table at the end.
 */
export interface Figure {
  check: string;
  measure: string;
  value: string;
  goal: string;
  /** null: a figure shown for information, with no pass/fail criterion of its own. */
  pass: boolean | null;
}

export const FIGURES_FILE =
  process.env.RELIABILITY_FIGURES ??
  path.resolve(__dirname, '..', 'artifacts', 'reliability-figures.jsonl');

export function recordFigure(figure: Figure): void {
  fs.mkdirSync(path.dirname(FIGURES_FILE), { recursive: true });
  fs.appendFileSync(FIGURES_FILE, JSON.stringify(figure) + '\n');
  if (process.env.TEST_VERBOSE) console.log(figure);
}

type Op = '<=' | '<' | '>=' | '==';

/** A measured figure and the goal it is judged by (see `judged`). */
export type Criterion = [measure: string, value: number, op: Op, target: number, unit?: string];

/** The figure of a value judged against its goal, recorded. */
function judge(
  check: string,
  measure: string,
  value: number,
  op: Op,
  target: number,
  unit = ''
): Figure {
  const pass =
    op === '<='
      ? value <= target
      : op === '<'
        ? value < target
        : op === '>='
          ? value >= target
          : value === target;
  const sign = { '<=': '≤', '<': '<', '>=': '≥', '==': '=' }[op];
  const fmt = (x: number) =>
    `${Number.isInteger(x) ? x.toLocaleString('en-US') : x.toFixed(2)}${unit ? ` ${unit}` : ''}`;
  const figure = { check, measure, value: fmt(value), goal: `${sign} ${fmt(target)}`, pass };
  recordFigure(figure);
  return figure;
}

/** Records a figure and returns whether it passed, for the test's own assertion. */
export function judged(
  check: string,
  measure: string,
  value: number,
  op: Op,
  target: number,
  unit = ''
): boolean {
  return judge(check, measure, value, op, target, unit).pass === true;
}

/**
 * Records each figure of `check` like `judged` and returns those that missed their goal, as
 * "check: measure = value (goal …)": `expect(missedGoals(…)).toEqual([])` names them on failure.
 */
export function missedGoals(check: string, criteria: Criterion[]): string[] {
  return criteria.flatMap((criterion) => {
    const figure = judge(check, ...criterion);
    return figure.pass
      ? []
      : [`${check}: ${figure.measure} = ${figure.value} (goal ${figure.goal})`];
  });
}

/** A figure shown for information (no criterion). */
export function info(check: string, measure: string, value: string): void {
  recordFigure({ check, measure, value, goal: '—', pass: null });
}
