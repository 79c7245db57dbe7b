// Statistics of the forum, or of one objective: headline numbers and three charts (by stakeholder
// type, by country, by ISO week), each with its numbers as a table (GET /stats?objective=).
import { append, h } from '../dom.js';
import * as api from '../api.js';
import * as data from '../data.js';
import { barChart, columnChart } from '../charts.js';
import { countryName } from '../countries.js';
import { field } from '../forms.js';
import { formatNumber, intlLocale, t } from '../i18n.js';
import { STAKEHOLDER_TYPES, stakeholderLabel } from '../labels.js';
import { notice, pageHeading, setTitle } from '../ui.js';

const TOP_COUNTRIES = 15;

const TEXT = {
  title: t('stats.title'),
  lead: t('stats.lead'),
  scope: t('stats.scope'),
  all: t('stats.all'),
  show: t('stats.show'),
  noObjective: t('stats.noObjective'),
  unavailable: t('stats.unavailable'),
  numbers: t('stats.numbers'),
  posts: t('stats.posts'),
  threads: t('stats.threads'),
  participants: t('stats.participants'),
  anonymous: t('stats.anonymous'),
  byType: t('stats.byType'),
  byCountry: t('stats.byCountry'),
  byWeek: t('stats.byWeek'),
  weekNote: t('stats.weekNote'),
  typeNotGiven: t('stats.typeNotGiven'),
  countryNotGiven: t('stats.countryNotGiven'),
  typeHeading: t('stats.typeHeading'),
  countryHeading: t('stats.countryHeading'),
  weekHeading: t('stats.weekHeading'),
  weekStarting: t('stats.weekStarting'),
  wholeForum: t('stats.scopeWholeForum'),
};

const num = (n) => formatNumber(n);
const dayFormat = new Intl.DateTimeFormat(intlLocale(), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

// "2026-W48" → the UTC time of that week's Monday, or NaN.
function isoWeekStart(week) {
  const m = /^(\d{4})-W(\d{2})$/.exec(week || '');
  if (!m) return NaN;
  const jan4 = Date.UTC(Number(m[1]), 0, 4);
  const jan4Day = (new Date(jan4).getUTCDay() + 6) % 7; // Monday = 0
  return jan4 - jan4Day * 86400000 + (Number(m[2]) - 1) * 7 * 86400000;
}

function isoWeekName(ms) {
  const d = new Date(ms + 3 * 86400000); // the Thursday decides the year
  const year = d.getUTCFullYear();
  const week = Math.floor((ms - isoWeekStart(`${year}-W01`)) / (7 * 86400000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

// The server lists weeks with contributions; weeks without any are drawn too, as zero.
function weeksWithGaps(list) {
  const known = (Array.isArray(list) ? list : []).filter((w) => !Number.isNaN(isoWeekStart(w.week)));
  if (!known.length) return [];
  const counts = new Map(known.map((w) => [w.week, Number(w.posts) || 0]));
  const first = isoWeekStart(known[0].week);
  const last = isoWeekStart(known[known.length - 1].week);
  const out = [];
  for (let t = first; t <= last && out.length < 520; t += 7 * 86400000) {
    const name = isoWeekName(t);
    out.push({ week: name, start: t, value: counts.get(name) || 0 });
  }
  return out;
}

function scopeForm(objectives, current) {
  const form = h('form', { class: 'form scope-form' });
  const select = field({
    name: 'objective', label: TEXT.scope, type: 'select',
    options: [{ value: '', label: TEXT.all },
      ...objectives.map((o) => ({ value: o.slug, label: t('stats.objectiveOption', { number: o.number, title: o.title }) }))],
    value: current ? current.slug : '',
    attrs: { required: false },
  });
  const optional = select.wrap.querySelector('.optional');
  if (optional) optional.remove();
  form.append(h('div', { class: 'scope-row' }, select.wrap,
    h('button', { type: 'submit', class: 'button button--secondary' }, TEXT.show)));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = select.control.value;
    window.location.hash = v ? `#/stats?objective=${encodeURIComponent(v)}` : '#/stats';
  });
  return form;
}

function figure(label, value) {
  return h('div', { class: 'stat' }, h('dt', { class: 'stat-label' }, label), h('dd', { class: 'stat-value' }, num(value)));
}

export async function render(root, { query }) {
  const objectives = await data.objectives().catch(() => []);
  const wanted = query.get('objective') || '';
  const current = wanted ? objectives.find((o) => o.slug === wanted || String(o.id) === wanted) || null : null;
  setTitle(current ? t('stats.pageTitleObjective', { title: current.title }) : TEXT.title);
  append(root, pageHeading(current ? t('stats.headingObjective', { number: current.number }) : TEXT.title),
    h('p', { class: 'lead' }, TEXT.lead),
    scopeForm(objectives, current));
  if (wanted && !current) {
    append(root, notice(TEXT.noObjective, 'error', { role: 'alert' }));
    return;
  }

  let stats;
  try {
    stats = await api.get('/stats', { objective: current ? current.id : null });
  } catch (err) {
    if (err.status === 404 || err.status === 405 || err.status === 501) {
      append(root, notice(TEXT.unavailable, 'muted'));
      return;
    }
    throw err;
  }

  const scopeName = current ? t('stats.scopeObjective', { number: current.number, title: current.title }) : TEXT.wholeForum;
  const byType = stats.posts_by_stakeholder_type || {};
  const typeItems = [
    ...STAKEHOLDER_TYPES.map((t) => ({ label: t.label, value: Number(byType[t.value]) || 0 })),
    ...Object.keys(byType).filter((k) => !stakeholderLabel(k))
      .map((k) => ({ label: k === 'none' ? TEXT.typeNotGiven : k, value: Number(byType[k]) || 0 })),
  ];

  const byCountry = Object.entries(stats.posts_by_country || {})
    .map(([code, n]) => ({ code, value: Number(n) || 0 }))
    .filter((d) => d.value > 0)
    .sort((a, b) => b.value - a.value || countryName(a.code).localeCompare(countryName(b.code), intlLocale()));
  const countryItems = byCountry.slice(0, TOP_COUNTRIES)
    .map((d) => ({ label: d.code === 'none' ? TEXT.countryNotGiven : countryName(d.code), value: d.value }));
  const rest = byCountry.slice(TOP_COUNTRIES);
  if (rest.length) {
    countryItems.push({
      label: t('stats.otherCountries', { count: rest.length }),
      value: rest.reduce((a, d) => a + d.value, 0),
    });
  }

  const weeks = weeksWithGaps(stats.posts_by_week).map((w) => ({
    label: t('stats.weekLabel', { year: w.week.slice(0, 4), week: String(Number(w.week.slice(6))) }),
    short: t('stats.weekShort', { week: w.week.slice(6) }),
    start: w.start,
    value: w.value,
  }));

  const section = (id, title, ...content) => h('section', { class: 'stats-section', 'aria-labelledby': id },
    h('h2', { id }, title), content);

  append(root,
    section('stats-numbers', TEXT.numbers,
      h('dl', { class: 'stat-grid' },
        figure(TEXT.posts, stats.posts),
        figure(TEXT.threads, stats.threads),
        figure(TEXT.participants, stats.participants),
        figure(TEXT.anonymous, stats.anonymous_posts))),
    section('stats-type', TEXT.byType,
      barChart({ title: t('stats.chartByType', { scope: scopeName }), items: typeItems, labelHeading: TEXT.typeHeading })),
    section('stats-country', TEXT.byCountry,
      byCountry.length > TOP_COUNTRIES
        ? h('p', { class: 'hint' }, t('stats.topCountries', { count: TOP_COUNTRIES }))
        : null,
      barChart({ title: t('stats.chartByCountry', { scope: scopeName }), items: countryItems, labelHeading: TEXT.countryHeading })),
    section('stats-week', TEXT.byWeek,
      h('p', { class: 'hint' }, TEXT.weekNote),
      columnChart({
        title: t('stats.chartByWeek', { scope: scopeName }), items: weeks, labelHeading: TEXT.weekHeading,
        extraHeadings: [TEXT.weekStarting], extra: (d) => [dayFormat.format(new Date(d.start))],
      })));
}
