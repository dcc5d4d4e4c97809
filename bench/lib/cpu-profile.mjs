// Reads a V8 CPU profile (node --cpu-prof) and attributes its samples: each sample goes to the
// nearest frame on its stack that is code of the plugin or of anything else (Strapi, Koa, the
// app), skipping frames of Node itself and of the libraries the plugin calls (bowser, isbot,
// knex, better-sqlite3), which count for whoever called them.
import fs from 'node:fs';

const NEUTRAL = [/^node:/, /\/node_modules\/(bowser|isbot|knex|better-sqlite3|tarn|lodash)\//];
const SPECIAL = new Set(['(garbage collector)', '(idle)', '(program)', '(root)']);

function classify(frame, pluginPath) {
  const { url, functionName } = frame;
  if (!url) return SPECIAL.has(functionName) ? functionName : 'neutral';
  if (url.includes(pluginPath)) return 'plugin';
  return NEUTRAL.some((re) => re.test(url.replace(/^file:\/\//, ''))) ? 'neutral' : 'other';
}

const label = (frame) =>
  `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}`;

/**
 * Sums a profile's sample time between `fromUs` and `toUs` (CLOCK_MONOTONIC microseconds, what
 * process.hrtime gives) by owner: plugin, other, (garbage collector), (idle), (program), neutral
 * (only Node/library frames on the stack). `pluginPath` identifies the plugin's files in frame
 * URLs. Also lists the plugin's functions (the attributing frame) and leaf functions under them
 * by self time.
 */
export function attributeProfile(file, pluginPath, fromUs = -Infinity, toUs = Infinity) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const owner = new Map();
  const ownerOf = (id) => {
    if (owner.has(id)) return owner.get(id);
    let cursor = id;
    let result = { kind: 'neutral', frame: null };
    while (cursor !== undefined) {
      const frame = nodes.get(cursor).callFrame;
      let kind = classify(frame, pluginPath);
      // Reaching the root from a Node or library frame: running, but nobody's in particular.
      if (kind === '(root)' && cursor !== id) kind = 'neutral';
      if (kind !== 'neutral') {
        result = { kind, frame };
        break;
      }
      cursor = parent.get(cursor);
    }
    owner.set(id, result);
    return result;
  };
  const totals = {};
  const pluginFunctions = new Map();
  const pluginLeaves = new Map();
  let t = profile.startTime;
  let windowUs = 0;
  for (let i = 0; i < profile.samples.length; i += 1) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (t < fromUs || t > toUs) continue;
    windowUs += delta;
    const { kind, frame } = ownerOf(profile.samples[i]);
    totals[kind] = (totals[kind] ?? 0) + delta;
    if (kind === 'plugin') {
      const fn = label(frame);
      pluginFunctions.set(fn, (pluginFunctions.get(fn) ?? 0) + delta);
      const leaf = label(nodes.get(profile.samples[i]).callFrame);
      pluginLeaves.set(leaf, (pluginLeaves.get(leaf) ?? 0) + delta);
    }
  }
  const top = (map) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([name, us]) => ({ name, us }));
  return {
    windowUs,
    totals,
    pluginFunctions: top(pluginFunctions),
    pluginLeaves: top(pluginLeaves),
  };
}
