import type { IncomingMessage } from 'node:http';

export type RawBody = { ok: true; text: string } | { ok: false; status: 400 | 413 };

/**
 * Reads a request body as UTF-8 text, stopping at `limit` bytes: the rest is discarded unread
 * (the answer will be 413) so an oversized body costs no memory.
 */
export function readRawBody(req: IncomingMessage, limit: number): Promise<RawBody> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      resolve({ ok: false, status: 413 });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(
        tooLarge
          ? { ok: false, status: 413 }
          : { ok: true, text: Buffer.concat(chunks).toString('utf8') }
      )
    );
    req.on('error', () => resolve({ ok: false, status: 400 }));
  });
}
