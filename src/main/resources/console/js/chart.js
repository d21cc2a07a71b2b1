// Small hand-drawn SVG charts: a per-minute line chart of a few series, readable at a glance.
import { svg, h } from './dom.js';

/**
 * @param points  [{at, <series keys>…}] oldest first
 * @param series  [{key, label, class}] drawn in order
 * @param width   in CSS pixels, the width it is shown at (so its text keeps its size)
 */
export function lineChart(points, series, { height = 170, width = 600, title } = {}) {
  const max = Math.max(1, ...points.flatMap((p) => series.map((s) => p[s.key] ?? 0)));
  const pad = { left: 34, right: 8, top: 8, bottom: 18 };
  const w = width - pad.left - pad.right;
  const hgt = height - pad.top - pad.bottom;
  const x = (i) => pad.left + (points.length <= 1 ? w : (i * w) / (points.length - 1));
  const y = (v) => pad.top + hgt - (v / max) * hgt;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img',
    'aria-label': title ?? series.map((s) => s.label).join(', ') });
  for (const frac of [0, 0.5, 1]) {
    const v = Math.round(max * frac);
    chart.append(svg('line', { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v), class: 'grid' }),
      svg('text', { x: pad.left - 4, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' }, String(v)));
  }
  if (points.length > 0) {
    const label = (p) => new Date(p.at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
    chart.append(svg('text', { x: pad.left, y: height - 4, class: 'axis' }, label(points[0])),
      svg('text', { x: width - pad.right, y: height - 4, class: 'axis', 'text-anchor': 'end' },
        label(points[points.length - 1])));
  }
  for (const s of series) {
    const coords = points.map((p, i) => `${x(i).toFixed(1)},${y(p[s.key] ?? 0).toFixed(1)}`).join(' ');
    chart.append(svg('polyline', { points: coords, class: `series ${s.class}` }));
    points.forEach((p, i) => {
      if (!p[s.key]) return;
      chart.append(svg('circle', { cx: x(i), cy: y(p[s.key]), r: 2.5, class: `dot ${s.class}` },
        svg('title', null, `${s.label}: ${p[s.key]} at ${new Date(p.at).toLocaleTimeString()}`)));
    });
  }
  const legend = h('div', { class: 'legend' }, series.map((s) => h('span', { class: `key ${s.class}` }, s.label)));
  return h('figure', { class: 'chart-box' }, title ? h('figcaption', null, title) : null, chart, legend);
}

/** A horizontal bar whose length is value/max, for a table cell. */
export function bar(value, max, cls = '') {
  const fill = h('span', { class: `bar-fill ${cls}` });
  fill.style.width = `${max > 0 ? Math.max(2, Math.round((value / max) * 100)) : 0}%`;
  return h('span', { class: 'bar' }, fill);
}
