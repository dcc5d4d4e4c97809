/** Answers in Strapi's error format: `{ data: null, error: { status, name, message } }`. */
export function rejectRequest(
  ctx: { status: number; body: unknown },
  status: number,
  message: string
): void {
  const names: Record<number, string> = {
    400: 'ValidationError',
    403: 'ForbiddenError',
    413: 'PayloadTooLargeError',
    429: 'RateLimitError',
  };
  ctx.status = status;
  ctx.body = { data: null, error: { status, name: names[status] ?? 'BadRequestError', message } };
}
