/** Largest tracking request body accepted, in bytes. */
export const MAX_BODY_BYTES = 8 * 1024;

export type BodyResult =
  | { ok: true; value: unknown }
  | { ok: false; status: 400 | 413; message: string };

interface RequestLike {
  length?: number;
  body?: unknown;
}

/**
 * The JSON body of a tracking request, whatever its content type: trackers send `text/plain`
 * (no CORS preflight) which Strapi's body parser leaves as a string, or `application/json`
 * which it has parsed already.
 */
export function readJsonBody(request: RequestLike, maxBytes = MAX_BODY_BYTES): BodyResult {
  const tooLarge = {
    ok: false,
    status: 413,
    message: `body must be at most ${maxBytes} bytes`,
  } as const;
  if (request.length !== undefined && request.length > maxBytes) return tooLarge;
  const body = request.body;
  if (typeof body === 'string') {
    if (Buffer.byteLength(body) > maxBytes) return tooLarge;
    if (!body.trim()) return { ok: false, status: 400, message: 'body is empty' };
    try {
      return { ok: true, value: JSON.parse(body) };
    } catch {
      return { ok: false, status: 400, message: 'body is not valid JSON' };
    }
  }
  if (body === undefined || body === null)
    return { ok: false, status: 400, message: 'body is empty' };
  if (typeof body === 'object' && Object.keys(body).length === 0 && !Array.isArray(body)) {
    return { ok: false, status: 400, message: 'body is empty' };
  }
  if (Buffer.byteLength(JSON.stringify(body)) > maxBytes) return tooLarge;
  return { ok: true, value: body };
}
