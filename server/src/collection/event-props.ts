/** Custom event properties as stored: at most 30 scalar values with bounded keys and values. */
export type EventProps = Record<string, string | number | boolean>;

export const PROPS_LIMITS = { pairs: 30, keyBytes: 300, valueBytes: 2000 } as const;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/**
 * Keeps the scalar properties (lists, maps, nulls and empty strings are dropped, as Plausible
 * does) and rejects a set that breaks the limits; with `overflow: 'truncate'` pairs past the 30th
 * are dropped instead (Plausible's rule), with `stringify` numbers and booleans become strings.
 */
export function cleanProps(
  input: unknown,
  options: { overflow?: 'reject' | 'truncate'; stringify?: boolean } = {}
): { props: EventProps | null } | { error: string } {
  if (input === undefined || input === null) return { props: null };
  let value = input;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return { error: 'props must be an object or a JSON object string' };
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { error: 'props must be an object' };
  }
  let entries = Object.entries(value as Record<string, unknown>).filter(
    ([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v)
  );
  if (entries.length > PROPS_LIMITS.pairs) {
    if (options.overflow !== 'truncate') {
      return { error: `props may hold at most ${PROPS_LIMITS.pairs} pairs` };
    }
    entries = entries.slice(0, PROPS_LIMITS.pairs);
  }
  const props: EventProps = {};
  for (const [key, v] of entries) {
    if (v === null) continue;
    if (!key || bytes(key) > PROPS_LIMITS.keyBytes) {
      return { error: `props keys must be 1 to ${PROPS_LIMITS.keyBytes} bytes` };
    }
    if (typeof v === 'number' && !Number.isFinite(v))
      return { error: 'props numbers must be finite' };
    if (typeof v === 'string' && bytes(v) > PROPS_LIMITS.valueBytes) {
      return { error: `props values must be at most ${PROPS_LIMITS.valueBytes} bytes` };
    }
    const stored = options.stringify && typeof v !== 'string' ? String(v) : v;
    if (stored === '') continue;
    Object.defineProperty(props, key, { value: stored, enumerable: true, writable: true });
  }
  return { props: Object.keys(props).length ? props : null };
}
