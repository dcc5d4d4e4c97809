import type { Chart, Plugin } from 'chart.js';

export interface EditorialMarksOptions {
  /** Label indexes (x positions) with editorial activity; `published` draws a solid line. */
  marks: Array<{ index: number; published: boolean }>;
  color: string;
}

declare module 'chart.js' {
  interface PluginOptionsByType<TType> {
    editorialMarks?: EditorialMarksOptions & { _type?: TType };
  }
}

/**
 * Our own small annotation plugin: a vertical line at each chart point with editorial activity
 * (solid for a publication, dashed for updates only) and a small flag at the top, drawn behind
 * the data lines. What the marks mean is listed next to the chart as text.
 */
export const editorialMarksPlugin: Plugin<'line', EditorialMarksOptions> = {
  id: 'editorialMarks',
  beforeDatasetsDraw(chart: Chart, _args, options) {
    const marks = options?.marks ?? [];
    const { ctx, chartArea, scales } = chart;
    if (!marks.length || !scales.x) return;
    ctx.save();
    ctx.strokeStyle = options.color;
    ctx.fillStyle = options.color;
    ctx.lineWidth = 1.5;
    for (const mark of marks) {
      const x = scales.x.getPixelForValue(mark.index);
      if (x < chartArea.left - 1 || x > chartArea.right + 1) continue;
      ctx.setLineDash(mark.published ? [] : [4, 4]);
      ctx.beginPath();
      ctx.moveTo(x, chartArea.top);
      ctx.lineTo(x, chartArea.bottom);
      ctx.stroke();
      ctx.beginPath();
      ctx.moveTo(x, chartArea.top);
      ctx.lineTo(x + 8, chartArea.top + 4);
      ctx.lineTo(x, chartArea.top + 8);
      ctx.closePath();
      ctx.fill();
    }
    ctx.restore();
  },
};
