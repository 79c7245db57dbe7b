// Dates, durations and counts, formatted one way everywhere, in the reader's language.
import { h } from './dom.js';
import { formatNumber, intlLocale, t } from './i18n.js';

const dateTime = new Intl.DateTimeFormat(intlLocale(), {
  day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
});
// Deadlines name the time zone: participants sit in several of them.
const dateTimeZone = new Intl.DateTimeFormat(intlLocale(), {
  day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
});

export function formatDateTime(iso, { withZone = false } = {}) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso || '';
  return (withZone ? dateTimeZone : dateTime).format(d);
}

export function timeEl(iso, options) {
  return h('time', { datetime: iso, title: formatDateTime(iso, { withZone: true }) }, formatDateTime(iso, options));
}

// "12 contributions", "1 thread": the counts pages show most often, as plural-aware messages.
export function contributionCount(n) {
  return t('format.contributions', { count: Number(n) || 0 });
}

export function threadCount(n) {
  return t('format.threads', { count: Number(n) || 0 });
}

// Characters as the server counts them (code points), not UTF-16 units.
export const charLength = (s) => [...s].length;

// Consultation deadlines are set and shown in Brussels time, wherever the reader sits.
export const BRUSSELS = 'Europe/Brussels';
const brusselsFormat = new Intl.DateTimeFormat(intlLocale(), {
  timeZone: BRUSSELS, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit',
  hourCycle: 'h23',
});
const brusselsShort = new Intl.DateTimeFormat(intlLocale(), {
  timeZone: BRUSSELS, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});
// Only for reading the wall-clock fields (numbers), so the locale does not matter here.
const brusselsParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: BRUSSELS, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  second: '2-digit', hourCycle: 'h23',
});

// "Monday, 30 November 2026 at 18:00 Brussels time"; short: "30 Nov 2026, 18:00 Brussels time".
export function formatBrussels(iso, { short = false } = {}) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso || '';
  return t('format.brusselsTime', { time: (short ? brusselsShort : brusselsFormat).format(d) });
}

export function brusselsTimeEl(iso, options) {
  return h('time', { datetime: iso }, formatBrussels(iso, options));
}

// Wall-clock fields of an instant in Brussels.
function brusselsWall(ms) {
  const p = {};
  brusselsParts.formatToParts(new Date(ms)).forEach(({ type, value }) => { p[type] = Number(value); });
  return p;
}

// Brussels' offset from UTC at an instant, in milliseconds (+1 h in winter, +2 h in summer).
function brusselsOffset(ms) {
  const w = brusselsWall(ms);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
}

const pad = (n, width = 2) => String(n).padStart(width, '0');

// The value of a datetime-local input, read as Brussels wall-clock time, as RFC 3339 UTC without
// fractions (what the API wants). Returns null for an empty or malformed value.
export function brusselsInputToIso(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value || '');
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] || 0));
  // Two passes find the right offset also on the days the clocks change.
  let ms = wall - brusselsOffset(wall);
  ms = wall - brusselsOffset(ms);
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// An instant as a datetime-local value in Brussels wall-clock time ("2026-11-30T18:00").
export function isoToBrusselsInput(iso) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const w = brusselsWall(ms);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

let andList = null;
try {
  andList = new Intl.ListFormat(intlLocale(), { style: 'long', type: 'conjunction' });
} catch {
  andList = null;
}

// "a, b and c" in the reader's language.
export function listText(items) {
  if (andList) return andList.format(items);
  return items.join(', ');
}

// "2 days, 3 hours and 4 minutes": whole units, seconds only in the last hour.
export function durationText(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86400);
  const hours = Math.floor((total % 86400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const parts = [];
  if (days) parts.push(t('format.days', { count: days }));
  if (hours || days) parts.push(t('format.hours', { count: hours }));
  parts.push(t('format.minutes', { count: minutes }));
  if (!days && !hours) parts.push(t('format.seconds', { count: seconds }));
  return listText(parts);
}
