// Control characters and lone surrogates: PostgreSQL refuses NUL in text, MySQL refuses text that
// is not valid UTF-8, and none of them belongs in a path, a campaign or an event name.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;
// eslint-disable-next-line no-control-regex
const HAS_CONTROL = /[\u0000-\u001f\u007f]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

type WellFormed = string & { isWellFormed?: () => boolean };

/** A string safe to store on every database: control characters and lone surrogates dropped. */
export function cleanText(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const wellFormed =
    (value as WellFormed).isWellFormed?.() === false ? value.replace(LONE_SURROGATE, '') : value;
  // Testing first spares the copy `replace` makes of the (nearly always) clean string.
  const cleaned = HAS_CONTROL.test(wellFormed) ? wellFormed.replace(CONTROL, '') : wellFormed;
  return cleaned === '' ? null : cleaned;
}
