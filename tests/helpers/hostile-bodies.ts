import fc from 'fast-check';
import { anyString, hostile } from './fuzz-payloads';

/**
 * Hostile request bodies beyond the fuzz suite's generators (fuzz-payloads.ts), for the
 * reliability suite's hostile-input run: injection strings, unicode edge cases, prototype-
 * pollution keys, bodies over the limits or nested thousands deep, each field of a valid event
 * wrongly typed, and raw bytes that are not UTF-8.
 */
const injection = fc.constantFrom(
  "'; DROP TABLE ua_events; --",
  "1' OR '1'='1",
  '1; SELECT pg_sleep(10)',
  "' UNION SELECT password FROM admin_users --",
  '<script>alert(document.cookie)</script>',
  '"><svg onload=alert(1)>',
  '<iframe src=javascript:alert(1)>',
  '{{constructor.constructor("alert(1)")()}}',
  '${7*7}',
  '%00%27%22%3Cscript%3E'
);
const unicodeEdge = fc.constantFrom(
  '\uFEFF',
  '\u0000',
  '\uD800',
  '\uDFFF',
  '\uD83D',
  '\u202E\u202D',
  '\u200B\u200C\u200D',
  'e\u0301'.repeat(500),
  '𝕳'.repeat(1000),
  '\uFFFF\uFFFE',
  '\u2028\u2029'
);
export const edgeString = fc.oneof(injection, unicodeEdge, hostile, anyString);
const pollutionKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString'
);

/** JSON text with prototype-pollution keys placed where parsers and merges look. */
export const pollution = fc
  .tuple(
    fc.constantFrom('track', 'plausible', 'umami'),
    pollutionKey,
    edgeString,
    fc.constantFrom('pageview', 'event')
  )
  .map(([shape, key, value, type]) => {
    const polluted = `{"${key}":{"polluted":${JSON.stringify(value)},"prototype":{"x":1}}}`;
    if (shape === 'track')
      return `{"type":"${type}","name":"n","url":"https://site.example/p","${key}":${polluted},"props":${polluted}}`;
    if (shape === 'plausible')
      return `{"n":"${type}","u":"https://site.example/p","d":"site.example","${key}":${polluted},"p":${polluted},"m":${polluted}}`;
    return `{"type":"event","payload":{"website":"00000000-0000-4000-8000-000000000000","url":"/p","${key}":${polluted},"data":${polluted}}}`;
  });
/** Bodies over the limits, deeply nested, or not UTF-8. */
export const oversized = fc.oneof(
  fc
    .integer({ min: 8_193, max: 70_000 })
    .map((n) => `{"type":"pageview","url":"https://x/${'a'.repeat(n)}"}`),
  fc.integer({ min: 100, max: 4_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 100, max: 2_000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
  fc
    .integer({ min: 31, max: 500 })
    .map(
      (n) =>
        `{"type":"event","name":"e","url":"https://x/","props":{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',')}}}`
    )
);
/** Every field of a valid event, one at a time, replaced by an edge string or a wrong type. */
export const wrongTyped = fc
  .tuple(
    fc.constantFrom(
      'type',
      'url',
      'referrer',
      'name',
      'props',
      'contentType',
      'documentId',
      'locale',
      'engagedMs'
    ),
    fc.oneof(
      edgeString,
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(edgeString, { maxLength: 3 }),
      fc.dictionary(edgeString, edgeString, { maxKeys: 3 })
    )
  )
  .map(([field, value]) =>
    JSON.stringify({
      type: 'event',
      name: 'signup',
      url: 'https://site.example/a?utm_source=x',
      referrer: 'https://ref.example/',
      contentType: 'api::article.article',
      documentId: 'abcdefghijklmnopqrstuvwx',
      locale: 'en',
      [field]: value,
    })
  );
/** Raw bytes: invalid UTF-8, a BOM, overlong encodings, control bytes. */
export const rawBytes = fc.oneof(
  fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)),
  fc.constantFrom(
    Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('{"type":"pageview","url":"https://x/"}')]),
    Buffer.from([0xc0, 0xaf, 0xe0, 0x80, 0xaf, 0xff, 0xfe]),
    Buffer.from('{"type":"pageview","url":"https://x/\xed\xa0\x80"}', 'latin1')
  )
);
