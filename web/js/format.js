// Dates and counts, formatted one way everywhere.
import { h } from './dom.js';

const dateTime = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
});
// Deadlines name the time zone: participants sit in several of them.
const dateTimeZone = new Intl.DateTimeFormat('en-GB', {
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

export function count(n, singular, plural = `${singular}s`) {
  const num = Number(n) || 0;
  return `${num.toLocaleString('en-GB')} ${num === 1 ? singular : plural}`;
}

// Characters as the server counts them (code points), not UTF-16 units.
export const charLength = (s) => [...s].length;
