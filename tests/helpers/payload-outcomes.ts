/** The time the payload parsers' unit tests parse at. */
export const NOW = Date.parse('2026-12-07T15:30:00Z');

type Outcome = { ok: true; hit: unknown } | { ok: false };

/**
 * A payload parser's two outcomes, for its unit tests: `hitOf` is the hit of a payload it accepts,
 * `refusalOf` what it answers a payload it refuses (`refusal` takes it from the result). Each
 * fails the test, showing what came instead, when the parser decides the other way.
 */
export function outcomesOf<R extends Outcome, Refusal>(
  parse: (input: unknown, now: number) => R,
  refusal: (refused: Extract<R, { ok: false }>) => Refusal
) {
  type Accepted = Extract<R, { ok: true }>;
  type Refused = Extract<R, { ok: false }>;
  return {
    hitOf(input: unknown): Accepted['hit'] {
      const result = parse(input, NOW);
      if (!result.ok) throw new Error(`refused: ${JSON.stringify(refusal(result as Refused))}`);
      return (result as Accepted).hit;
    },
    refusalOf(input: unknown): Refusal {
      const result = parse(input, NOW);
      if (result.ok) throw new Error(`accepted: ${JSON.stringify((result as Accepted).hit)}`);
      return refusal(result as Refused);
    },
  };
}
