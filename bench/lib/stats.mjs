// Statistics for paired benchmark runs: geometric mean of ratios with a ±2 standard-error band
// computed on the log ratios (ratios are multiplicative, so their logs are what averages fairly).

/** Arithmetic mean. */
export function mean(values) {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Geometric mean of positive values. */
export function geomean(values) {
  return Math.exp(mean(values.map(Math.log)));
}

/** Median (the mean of the two middle values for an even count). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Sample standard deviation (n − 1). */
export function stddev(values) {
  if (values.length < 2) return NaN;
  const m = mean(values);
  return Math.sqrt(values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1));
}

/**
 * Geometric mean of positive ratios and the band exp(mean(log r) ± 2·SE(log r)).
 * With fewer than two ratios the band is undefined (NaN). `clusters` (optional, one label per
 * ratio: the fork a round ran in) widens the band when the clusters' means differ by more than
 * their rounds do: SE is then the larger of the rounds' SE and the SE of the clusters' means.
 */
export function ratioSummary(ratios, clusters) {
  const kept = ratios
    .map((r, i) => ({ r, cluster: clusters?.[i] }))
    .filter(({ r }) => Number.isFinite(r) && r > 0);
  if (!kept.length) return { n: 0, geomean: NaN, low: NaN, high: NaN, se: NaN };
  const logs = kept.map(({ r }) => Math.log(r));
  const m = mean(logs);
  let se = stddev(logs) / Math.sqrt(logs.length);
  const groups = new Map();
  kept.forEach(({ cluster }, i) => {
    if (cluster === undefined) return;
    if (!groups.has(cluster)) groups.set(cluster, []);
    groups.get(cluster).push(logs[i]);
  });
  if (groups.size >= 2) {
    const means = [...groups.values()].map(mean);
    se = Math.max(se, stddev(means) / Math.sqrt(means.length));
  }
  return {
    n: kept.length,
    geomean: Math.exp(m),
    low: Math.exp(m - 2 * se),
    high: Math.exp(m + 2 * se),
    se,
  };
}

const MEETS = {
  '>=': (x, target) => x >= target,
  '<=': (x, target) => x <= target,
  '<': (x, target) => x < target,
};

/**
 * Verdict of a measured value against a goal such as { op: '>=', target: 0.98 }.
 * With a band: "pass" when the whole band meets the goal, "fail" when none of it does,
 * "inconclusive" when the band straddles it. A goal with an `edge` ({ op: '>=', target: 0.98,
 * edge: 0.96 }) passes when the value meets the target and the band's worse edge meets the edge.
 * Without a band the value alone decides.
 * { op: 'contains', target: 1, width: 0.02 } is the A/A check: "ok" when the band contains the
 * target and lies within target ± width, "biased" when it does not contain it, else "too wide".
 */
export function verdict(goal, value, low = NaN, high = NaN) {
  if (!goal) return 'info';
  if (!Number.isFinite(value)) return 'n/a';
  const hasBand = Number.isFinite(low) && Number.isFinite(high);
  if (goal.op === 'contains') {
    if (!hasBand) return 'n/a';
    if (!(low <= goal.target && goal.target <= high)) return 'biased';
    const width = goal.width ?? Infinity;
    return low >= goal.target - width && high <= goal.target + width ? 'ok' : 'too wide';
  }
  const meets = (x) => MEETS[goal.op](x, goal.target);
  if (!hasBand) return meets(value) ? 'pass' : 'fail';
  const [worst, best] = goal.op === '>=' ? [low, high] : [high, low];
  if (goal.edge !== undefined) {
    if (meets(value) && MEETS[goal.op](worst, goal.edge)) return 'pass';
    return meets(best) ? 'inconclusive' : 'fail';
  }
  if (meets(worst)) return 'pass';
  if (!meets(best)) return 'fail';
  return 'inconclusive';
}

/**
 * A verdict as the noise floor allows it: when the A/A check (`noise`, a verdict of a 'contains'
 * goal) is not "ok", a pass or fail says nothing and becomes "inconclusive".
 */
export function gatedVerdict(judged, noise) {
  if (noise === undefined || noise === 'ok') return judged;
  if (judged !== 'pass' && judged !== 'fail') return judged;
  return `inconclusive (A/A ${noise})`;
}
