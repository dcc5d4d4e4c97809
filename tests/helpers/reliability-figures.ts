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

/** The comparisons a goal can make: how each is written in the table, and the test itself. */
const OPS = {
  '<=': { sign: '≤', meets: (value: number, target: number) => value <= target },
  '<': { sign: '<', meets: (value: number, target: number) => value < target },
  '>=': { sign: '≥', meets: (value: number, target: number) => value >= target },
  '==': { sign: '=', meets: (value: number, target: number) => value === target },
};

/** A measured figure and the goal it is judged by. */
export type Criterion = [
  measure: string,
  value: number,
  op: keyof typeof OPS,
  target: number,
  unit?: string,
];

/**
 * Records each figure of `check` with its goal and whether it met it, and returns those that
 * missed it, as "check: measure = value (goal …)": `expect(missedGoals(…)).toEqual([])` names
 * them on failure.
 */
export function missedGoals(check: string, criteria: Criterion[]): string[] {
  return criteria.flatMap(([measure, value, op, target, unit = '']) => {
    const fmt = (x: number) =>
      `${Number.isInteger(x) ? x.toLocaleString('en-US') : x.toFixed(2)}${unit ? ` ${unit}` : ''}`;
    const pass = OPS[op].meets(value, target);
    const figure = {
      check,
      measure,
      value: fmt(value),
      goal: `${OPS[op].sign} ${fmt(target)}`,
      pass,
    };
    recordFigure(figure);
    return pass ? [] : [`${check}: ${measure} = ${figure.value} (goal ${figure.goal})`];
  });
}

/** A figure shown for information (no criterion). */
export function info(check: string, measure: string, value: string): void {
  recordFigure({ check, measure, value, goal: '—', pass: null });
}
