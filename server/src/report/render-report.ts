import type { ReportEntry, ReportFigures } from './report-figures';

export interface RenderedReport {
  subject: string;
  text: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

const number = (n: number) => n.toLocaleString('en-US');
/** "+12 %" against the week before; "new" when there was nothing to compare with. */
export function change(current: number, previous: number): string {
  if (!previous) return current ? 'new' : '±0 %';
  const pct = Math.round(((current - previous) / previous) * 100);
  return `${pct > 0 ? '+' : pct < 0 ? '−' : '±'}${Math.abs(pct)} %`;
}
const entryName = (e: ReportEntry) => e.title ?? `${e.contentType} ${e.documentId}`;
const percent = (n: number | null, digits = 2) =>
  n === null ? 'not measured' : `${n.toFixed(digits)} %`;

interface Section {
  heading: string;
  /** Each line's text (plain; escaped for HTML). */
  lines: string[];
  empty: string;
}

function sections(f: ReportFigures): Section[] {
  return [
    {
      heading: 'Top content',
      lines: f.top.map(
        (e) => `${entryName(e)}: ${number(e.views)} views, ${number(e.visitors)} visitors`
      ),
      empty: 'No entry was viewed this week.',
    },
    {
      heading: 'Rising',
      lines: f.rising.map(
        (e) =>
          `${entryName(e)}: ${number(e.current)} views (+${number(e.change)} on the week before)`
      ),
      empty: 'No entry gained views on the week before.',
    },
    {
      heading: 'New and never viewed',
      lines: f.neverViewed.map((e) => `${entryName(e)} (published ${e.publishedAt.slice(0, 10)})`),
      empty: 'Every entry published this week was viewed.',
    },
  ];
}

/**
 * The report as an e-mail: a subject, a plain-text body and an HTML body with the same figures.
 * Every title and name in the HTML is escaped (an entry's title is whatever an editor typed).
 */
export function renderReport(f: ReportFigures): RenderedReport {
  const subject = `Usage Analytics: week of ${f.from} to ${f.to}`;
  const summary = [
    `Views: ${number(f.views)} (${change(f.views, f.previousViews)} on the week before)`,
    `Visitors: ${number(f.visitors)} (${change(f.visitors, f.previousVisitors)} on the week before)`,
    `Availability: ${percent(f.availability, 3)}`,
    `Error rate: ${percent(f.errorRate * 100)} of ${number(f.requests)} requests`,
  ];
  const parts = sections(f);

  const text = [
    `Usage Analytics — ${f.from} to ${f.to} (UTC)`,
    '',
    ...summary,
    ...parts.flatMap((s) => [
      '',
      s.heading,
      ...(s.lines.length ? s.lines.map((l, i) => `${i + 1}. ${l}`) : [s.empty]),
    ]),
    ...(f.dashboardUrl ? ['', `Dashboard: ${f.dashboardUrl}`] : []),
    '',
  ].join('\n');

  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;color:#212134">',
    `<h1 style="font-size:20px">Usage Analytics — ${escapeHtml(f.from)} to ${escapeHtml(f.to)} (UTC)</h1>`,
    `<ul>${summary.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`,
    ...parts.map(
      (s) =>
        `<h2 style="font-size:16px">${escapeHtml(s.heading)}</h2>` +
        (s.lines.length
          ? `<ol>${s.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ol>`
          : `<p>${escapeHtml(s.empty)}</p>`)
    ),
    f.dashboardUrl ? `<p><a href="${escapeHtml(f.dashboardUrl)}">Open the dashboard</a></p>` : '',
    '</body></html>',
  ].join('\n');

  return { subject, text, html };
}
