// Control characters and lone surrogates: PostgreSQL refuses NUL in text, and none of them
// belongs in a path, a campaign or an event name.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** A string safe to store on every database: control characters dropped, valid UTF-16. */
export function cleanText(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const wellFormed = (value as string & { toWellFormed?: () => string }).toWellFormed?.() ?? value;
  const cleaned = wellFormed.replace(CONTROL, '');
  return cleaned === '' ? null : cleaned;
}
