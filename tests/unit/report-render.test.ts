import { change, escapeHtml, renderReport } from '../../server/src/report/render-report';
import type { ReportFigures } from '../../server/src/report/report-figures';

const figures: ReportFigures = {
  from: '2026-11-30',
  to: '2026-12-06',
  views: 1234,
  previousViews: 1000,
  visitors: 321,
  previousVisitors: 400,
  top: [
    {
      title: '<script>alert("x")</script> & co',
      contentType: 'api::article.article',
      documentId: 'abc',
      views: 900,
      visitors: 200,
    },
    { title: null, contentType: 'api::page.page', documentId: 'p1', views: 10, visitors: 9 },
  ],
  rising: [
    {
      title: 'Rising star',
      contentType: 'api::article.article',
      documentId: 'r1',
      current: 50,
      previous: 5,
      change: 45,
    },
  ],
  neverViewed: [],
  availability: 99.5,
  requests: 2000,
  errorRate: 0.0125,
  dashboardUrl: 'https://cms.example/admin/plugins/usage-analytics',
};

describe('weekly report rendering', () => {
  const mail = renderReport(figures);

  it('says the week and its figures in the text body', () => {
    expect(mail.subject).toBe('Usage Analytics: week of 2026-11-30 to 2026-12-06');
    expect(mail.text).toContain('Views: 1,234 (+23 % on the week before)');
    expect(mail.text).toContain('Visitors: 321 (−20 % on the week before)');
    expect(mail.text).toContain('Availability: 99.500 %');
    expect(mail.text).toContain('Error rate: 1.25 % of 2,000 requests');
    expect(mail.text).toContain('1. <script>alert("x")</script> & co: 900 views, 200 visitors');
    expect(mail.text).toContain('2. api::page.page p1: 10 views, 9 visitors');
    expect(mail.text).toContain('1. Rising star: 50 views (+45 on the week before)');
    expect(mail.text).toContain('Every entry published this week was viewed.');
    expect(mail.text).toContain('Dashboard: https://cms.example/admin/plugins/usage-analytics');
  });

  it('escapes every title in the HTML body', () => {
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain(
      '<li>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co: 900 views, 200 visitors</li>'
    );
    expect(mail.html).toContain('<li>Views: 1,234 (+23 % on the week before)</li>');
    expect(mail.html).toContain('href="https://cms.example/admin/plugins/usage-analytics"');
  });

  it('compares with the week before', () => {
    expect(change(10, 0)).toBe('new');
    expect(change(0, 0)).toBe('±0 %');
    expect(change(5, 5)).toBe('±0 %');
    expect(change(15, 10)).toBe('+50 %');
    expect(escapeHtml(`'"&<>`)).toBe('&#39;&quot;&amp;&lt;&gt;');
  });
});
