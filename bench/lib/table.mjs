// The result table: rows of benchmark | measure | value | band | goal | verdict, printed as a
// Markdown table and kept as plain data for bench/results/latest.json.
import { gatedVerdict, verdict } from './stats.mjs';

const fmt = {
  ratio: (x) => x.toFixed(3),
  ms: (x) => `${x.toFixed(1)} ms`,
  percent: (x) => `${(x * 100).toFixed(2)} %`,
  int: (x) => Math.round(x).toLocaleString('en-US'),
  micros: (x) => `${Math.round(x).toLocaleString('en-US')} µs`,
  bytes: (x) => `${Math.round(x).toLocaleString('en-US')} B`,
};

function goalText(goal) {
  if (!goal) return '—';
  if (goal.op === 'contains') {
    const width = goal.width ? ` within ±${goal.width * 100} %` : '';
    return `band ∋ ${goal.target}${width} (noise floor)`;
  }
  const op = goal.op === '>=' ? '≥' : goal.op === '<=' ? '≤' : '<';
  const edge = goal.edge !== undefined ? `, band edge ${op} ${goal.edge}` : '';
  return `${op} ${goal.text ?? goal.target}${edge}`;
}

/**
 * A ratio with its band, judged against a goal. `sides` are the load summaries compared (their
 * non-2xx answers and socket errors make the comparison invalid), `problems` any other reason
 * (such as the plugin logging write failures during the runs), `noise` the verdict of the A/A
 * run that gates this one (see gatedVerdict).
 */
export function ratioRow(
  benchmark,
  measure,
  summary,
  goal,
  { sides = [], problems = [], noise } = {}
) {
  const bad = sides.reduce((sum, s) => sum + s.non2xx + s.errors, 0);
  const reasons = [...(bad ? [`${bad} non-2xx/errors`] : []), ...problems];
  const judged = gatedVerdict(verdict(goal, summary.geomean, summary.low, summary.high), noise);
  return {
    benchmark,
    measure,
    value: summary.geomean,
    band: Number.isFinite(summary.low) ? [summary.low, summary.high] : null,
    goal: goalText(goal),
    verdict: reasons.length ? `invalid: ${reasons.join('; ')}` : judged,
    display: {
      value: fmt.ratio(summary.geomean),
      band: Number.isFinite(summary.low)
        ? `${fmt.ratio(summary.low)}–${fmt.ratio(summary.high)}`
        : '—',
    },
  };
}

/**
 * A plain figure (req/s, µs, bytes), optionally with a range, a goal and its A/A gate. With
 * `judgeRange` the whole range must meet the goal to pass (and miss it to fail).
 */
export function valueRow(
  benchmark,
  measure,
  value,
  { kind = 'int', range, goal, noise, judgeRange = false } = {}
) {
  const judged = judgeRange && range ? verdict(goal, value, ...range) : verdict(goal, value);
  return {
    benchmark,
    measure,
    value,
    band: range ?? null,
    goal: goalText(goal),
    verdict: gatedVerdict(judged, noise),
    display: {
      value: fmt[kind](value),
      band: range ? `${fmt[kind](range[0])}–${fmt[kind](range[1])}` : '—',
    },
  };
}

/** A benchmark that could not run ("skipped") or failed ("error"), and why. */
export function unavailableRow(benchmark, measure, reason, goal, outcome = 'skipped') {
  return {
    benchmark,
    measure,
    value: null,
    band: null,
    goal: goalText(goal),
    verdict: outcome,
    display: {
      value: outcome === 'error' ? `error: ${reason}` : `not available (${reason})`,
      band: '—',
    },
  };
}

/** The rows as a Markdown table with aligned columns. */
export function formatTable(rows) {
  const header = ['benchmark', 'measure', 'value', 'band', 'goal', 'verdict'];
  const cells = rows.map((r) => [
    r.benchmark,
    r.measure,
    r.display.value,
    r.display.band,
    r.goal,
    r.verdict,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...cells.map(line),
  ].join('\n');
}
