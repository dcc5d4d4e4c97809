import { csvCell, csvLine } from '../../server/src/stats/csv';
import { bucketTrend, sortContent } from '../../server/src/stats/content-table';
import { customRangeError } from '../../admin/src/custom-range';
import type { ContentRow } from '../../shared/contracts/stats';

describe('CSV cells', () => {
  it('quotes commas, quotes and newlines, and leaves plain text alone', () => {
    expect(csvCell('plain title')).toBe('plain title');
    expect(csvCell('Hello, world')).toBe('"Hello, world"');
    expect(csvCell('She said "hi"')).toBe('"She said ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded')).toBe('" padded"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(12.5)).toBe('12.5');
  });

  it('neutralises spreadsheet formulas in text cells', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('ends lines with CRLF', () => {
    expect(csvLine(['a', 1, null])).toBe('a,1,\r\n');
  });
});

describe('content table order and trend', () => {
  const row = (documentId: string, views: number, visitors: number, engaged: number) =>
    ({
      contentType: 'api::article.article',
      documentId,
      locale: 'en',
      title: null,
      views,
      trackerPageviews: views,
      apiReads: 0,
      visitors,
      avgEngagedSeconds: engaged,
      events: 0,
    }) as ContentRow;
  const rows = [row('a', 5, 1, 30), row('b', 9, 4, 10), row('c', 5, 3, 0)];

  it('sorts by the chosen column either way, ties by views then key', () => {
    expect(sortContent(rows, 'views', 'desc').map((r) => r.documentId)).toEqual(['b', 'a', 'c']);
    expect(sortContent(rows, 'visitors', 'asc').map((r) => r.documentId)).toEqual(['a', 'c', 'b']);
    expect(sortContent(rows, 'engaged', 'desc').map((r) => r.documentId)).toEqual(['a', 'b', 'c']);
  });

  it('sums long series into at most 30 buckets, keeping the total', () => {
    const days = Array.from({ length: 90 }, (_, i) => i % 7);
    const trend = bucketTrend(days);
    expect(trend).toHaveLength(30);
    expect(trend.reduce((a, b) => a + b, 0)).toBe(days.reduce((a, b) => a + b, 0));
    expect(bucketTrend([1, 2, 3])).toEqual([1, 2, 3]);
  });
});

describe('custom dashboard range', () => {
  it('accepts from ≤ to within 800 days and says what is wrong otherwise', () => {
    expect(customRangeError('2026-11-01', '2026-11-14')).toBeNull();
    expect(customRangeError('2026-11-14', '2026-11-14')).toBeNull();
    expect(customRangeError('2026-11-15', '2026-11-14')).toBe('order');
    expect(customRangeError('2024-01-01', '2026-11-14')).toBe('tooLong');
    expect(customRangeError('2026-02-31', '2026-03-02')).toBe('invalid');
    expect(customRangeError(null, '2026-03-02')).toBe('missing');
  });
});
