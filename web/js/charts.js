// Charts as inline SVG built with DOM calls (no markup strings, no library). Each chart is an image
// with a title and a description for assistive technology, followed by the same numbers as a table
// anyone can open. The SVGs scale with their viewBox, so they fit a 320 px screen.
import { h } from './dom.js';
import { uid } from './forms.js';
import { formatNumber, t } from './i18n.js';

const SVG = 'http://www.w3.org/2000/svg';

// s('rect', { x: 0, width: 10 }, child...) — an SVG element, attributes always set as text.
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  Object.entries(attrs).forEach(([k, v]) => {
    if (v !== null && v !== undefined && v !== false) el.setAttribute(k, String(v));
  });
  children.flat().forEach((c) => {
    if (c === null || c === undefined || c === false) return;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  });
  return el;
}

const num = (n) => formatNumber(n);

const TEXT = {
  showTable: t('charts.showTable'),
  empty: t('charts.empty'),
  contributions: t('charts.contributions'),
  category: t('charts.category'),
  period: t('charts.period'),
  tableBelow: t('charts.tableBelow'),
};

// The width of a chart's coordinate space: about the room the chart will have on this screen, so
// its text is drawn near its nominal size; the viewBox then scales it when the window changes.
function chartWidth(max) {
  const room = (document.documentElement.clientWidth || 800) - 72;
  return Math.round(Math.min(max, Math.max(260, room)));
}

// A step for the value axis that gives at most about `ticks` gridlines: 1, 2 or 5 times a power of 10.
function niceStep(max, ticks = 4) {
  if (max <= ticks) return 1;
  const raw = max / ticks;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const m = raw / pow;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * pow;
}

// The svg root, role=img, named by its <title> and described by its <desc>.
function svgRoot(width, height, title, desc, className) {
  const titleId = uid('chart-title');
  const descId = uid('chart-desc');
  return s('svg', {
    class: ['chart', className].filter(Boolean).join(' '),
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-labelledby': `${titleId} ${descId}`,
    preserveAspectRatio: 'xMinYMin meet',
    focusable: 'false',
  }, s('title', { id: titleId }, title), s('desc', { id: descId }, desc));
}

// The numbers behind a chart, in a disclosure so they take no room until asked for.
function dataTable(caption, headers, rows) {
  return h('details', { class: 'chart-data' },
    h('summary', {}, TEXT.showTable),
    // Focusable, so a keyboard can scroll a table wider than a small screen.
    h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': t('charts.tableRegion', { caption }) },
      h('table', { class: 'data-table' },
        h('caption', { class: 'visually-hidden' }, caption),
        h('thead', {}, h('tr', {}, headers.map((t, i) => h('th', { scope: 'col', class: i ? 'num' : false }, t)))),
        h('tbody', {}, rows.map((r) => h('tr', {},
          h('th', { scope: 'row' }, r[0]),
          r.slice(1).map((c) => h('td', { class: 'num' }, c))))))));
}

// Sentences for the chart's <desc>: what a sighted reader takes in at a glance.
function describe(items) {
  const total = items.reduce((a, d) => a + d.value, 0);
  if (!items.length || !total) return TEXT.empty;
  const top = [...items].sort((a, b) => b.value - a.value).slice(0, 3)
    .map((d) => t('charts.item', { label: d.label, value: num(d.value) })).join('; ');
  return [
    t('charts.categories', { count: items.length }),
    t('charts.total', { count: total }),
    t('charts.largest', { list: top }),
    TEXT.tableBelow,
  ].join(' ');
}

// Horizontal bars, one per item ({ label, value }), the label above its bar and the value after it.
// valueHeading names the numbers' column of the table; every chart here counts contributions.
export function barChart({ title, items, valueHeading = TEXT.contributions, labelHeading = TEXT.category }) {
  const width = chartWidth(560);
  const rowH = 40;
  const top = 4;
  const height = top + Math.max(1, items.length) * rowH + 4;
  const max = Math.max(1, ...items.map((d) => d.value));
  const room = width - 56; // space left for the value after the longest bar
  const svg = svgRoot(width, height, title, describe(items), 'chart--bars');
  items.forEach((d, i) => {
    const y = top + i * rowH;
    const w = d.value > 0 ? Math.max(2, (d.value / max) * room) : 0;
    svg.append(
      s('text', { x: 0, y: y + 13, class: 'chart-label' }, d.label),
      s('rect', { x: 0, y: y + 18, width: w.toFixed(1), height: 16, class: 'chart-bar' }),
      s('text', { x: (w + 6).toFixed(1), y: y + 31, class: 'chart-value' }, num(d.value)));
  });
  if (!items.length) svg.append(s('text', { x: 0, y: 24, class: 'chart-label' }, TEXT.empty));
  const wrap = h('figure', { class: 'chart-figure' },
    h('figcaption', { class: 'visually-hidden' }, title),
    svg,
    dataTable(title, [labelHeading, valueHeading],
      items.map((d) => [d.label, num(d.value)])));
  return wrap;
}

// Columns over time ({ label, short, value }), oldest first, with a value axis and a line through
// the tops so the trend reads at a glance. `short` labels the axis; every nth is written out.
export function columnChart({
  title, items, valueHeading = TEXT.contributions, labelHeading = TEXT.period, extraHeadings = [], extra = () => [],
}) {
  const width = chartWidth(720);
  const height = width < 400 ? 200 : 260;
  const left = 36;
  const right = 8;
  const topPad = 12;
  const bottom = 40;
  const plotW = width - left - right;
  const plotH = height - topPad - bottom;
  const max = Math.max(1, ...items.map((d) => d.value));
  const step = niceStep(max);
  const axisMax = Math.ceil(max / step) * step;
  const svg = svgRoot(width, height, title, describeSeries(items), 'chart--columns');
  const y = (v) => topPad + plotH - (v / axisMax) * plotH;
  for (let v = 0; v <= axisMax; v += step) {
    svg.append(
      s('line', { x1: left, x2: width - right, y1: y(v).toFixed(1), y2: y(v).toFixed(1), class: v ? 'chart-grid' : 'chart-axis' }),
      s('text', { x: left - 6, y: (y(v) + 4).toFixed(1), class: 'chart-tick', 'text-anchor': 'end' }, num(v)));
  }
  const n = Math.max(1, items.length);
  const slot = plotW / n;
  const colW = Math.max(1, Math.min(28, slot * 0.7));
  const every = Math.ceil(n / Math.max(2, Math.floor(plotW / 56)));
  const points = [];
  items.forEach((d, i) => {
    const cx = left + slot * i + slot / 2;
    const top = y(d.value);
    svg.append(s('rect', {
      x: (cx - colW / 2).toFixed(1), y: top.toFixed(1), width: colW.toFixed(1), height: (y(0) - top).toFixed(1), class: 'chart-bar',
    }));
    points.push(`${cx.toFixed(1)},${top.toFixed(1)}`);
    if (i % every === 0 || i === n - 1) {
      if (i === n - 1 && i % every !== 0 && (i % every) < every / 2) return; // too close to the previous label
      svg.append(s('text', { x: cx.toFixed(1), y: height - bottom + 18, class: 'chart-tick', 'text-anchor': 'middle' }, d.short));
    }
  });
  if (items.length > 1) svg.append(s('polyline', { points: points.join(' '), class: 'chart-line' }));
  if (!items.length) svg.append(s('text', { x: left + 8, y: topPad + plotH / 2, class: 'chart-label' }, TEXT.empty));
  svg.append(s('text', { x: left + plotW / 2, y: height - 4, class: 'chart-tick', 'text-anchor': 'middle' }, labelHeading));
  return h('figure', { class: 'chart-figure' },
    h('figcaption', { class: 'visually-hidden' }, title),
    svg,
    dataTable(title, [labelHeading, ...extraHeadings, valueHeading],
      items.map((d) => [d.label, ...extra(d), num(d.value)])));
}

function describeSeries(items) {
  if (!items.length) return TEXT.empty;
  const total = items.reduce((a, d) => a + d.value, 0);
  const peak = items.reduce((a, d) => (d.value > a.value ? d : a), items[0]);
  return [
    t('charts.periods', { count: items.length, first: items[0].label, last: items[items.length - 1].label }),
    t('charts.total', { count: total }),
    t('charts.busiest', { label: peak.label, count: peak.value }),
    TEXT.tableBelow,
  ].join(' ');
}
