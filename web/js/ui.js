// Pieces every page shares: titles, headings, breadcrumbs, badges, bylines, notices.
import { h } from './dom.js';
import { formatDateTime, timeEl } from './format.js';
import { stakeholderLabel } from './labels.js';
import { countryName } from './countries.js';

const SITE = 'Internal Security Consultative Forum';

export function setTitle(title) {
  document.title = title ? `${title} – ${SITE}` : SITE;
}

// tabindex=-1 lets the router move focus here after navigation without adding a tab stop.
export function pageHeading(text) {
  return h('h1', { class: 'page-title', tabindex: '-1' }, text);
}

// items: [{ label, href }], the last one being the current page (no href).
export function breadcrumb(items) {
  return h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
    h('ol', {}, items.map((item) => h('li', {},
      item.href ? h('a', { href: item.href }, item.label) : h('span', { 'aria-current': 'page' }, item.label)))));
}

export function badge(text, kind) {
  return h('span', { class: ['badge', kind && `badge--${kind}`] }, text);
}

export function threadBadges(thread) {
  return [
    thread.pinned && badge('Pinned', 'pinned'),
    thread.locked && badge('Locked', 'locked'),
    thread.consultation && consultationBadge(thread.consultation),
  ].filter(Boolean);
}

export function consultationBadge(c) {
  if (c.state === 'open') return badge(`Consultation open until ${formatDateTime(c.closes_at)}`, 'open');
  if (c.state === 'planned') {
    return badge(c.opens_at ? `Consultation opens ${formatDateTime(c.opens_at)}` : 'Consultation planned', 'planned');
  }
  return badge('Consultation closed', 'closed');
}

export function consultationNotice(c) {
  const closes = timeEl(c.closes_at, { withZone: true });
  if (c.state === 'open') {
    return notice(['This thread is an open consultation. Contributions are welcome until ', closes, '.'], 'info');
  }
  if (c.state === 'planned') {
    const opens = c.opens_at ? ['opens on ', timeEl(c.opens_at, { withZone: true }), ' and '] : [];
    return notice(['This consultation ', ...opens, 'closes on ', closes, '.'], 'info');
  }
  return notice(['This consultation closed on ', closes, '. The contributions remain available to read.'], 'muted');
}

export function notice(content, kind = 'info', props = {}) {
  return h('div', { class: ['notice', `notice--${kind}`], ...props }, h('p', {}, content));
}

export function authorName(author, anonymous = false) {
  const a = author || {};
  if (anonymous || a.id === null) return a.display_name || 'Anonymous';
  return a.display_name || 'Unknown participant';
}

// "Anna Kowalska · Civil society · Fundacja … · Poland". Anonymous authors keep their stakeholder
// type and country, which the API still discloses, but never a name or organisation.
export function byline(author, { anonymous = false } = {}) {
  const a = author || {};
  const details = [
    stakeholderLabel(a.stakeholder_type),
    !anonymous && a.organisation,
    countryName(a.country),
  ].filter(Boolean);
  return h('span', { class: 'byline' },
    h('span', { class: 'byline-name' }, authorName(a, anonymous)),
    details.length ? h('span', { class: 'byline-details' }, details.join(' \u00b7 ')) : null);
}

export function loading(text = 'Loading…') {
  return h('p', { class: 'loading', role: 'status' }, text);
}

// For a page that could not load at all: a heading the router can focus and the reason.
export function errorPage(title, err) {
  setTitle(title);
  return [
    pageHeading(title),
    notice(err ? err.message : 'Something went wrong.', 'error', { role: 'alert' }),
    h('p', {}, h('a', { href: '#/' }, 'Back to the strategic objectives')),
  ];
}

// A "Load more" button. load() appends the next page and resolves to whether another page exists.
export function loadMore(label, load) {
  const status = h('p', { class: 'load-more-status', role: 'alert' });
  const button = h('button', { type: 'button', class: 'button button--secondary' }, label);
  const wrap = h('div', { class: 'load-more' }, button, status);
  button.addEventListener('click', async () => {
    button.disabled = true;
    button.textContent = 'Loading…';
    status.textContent = '';
    try {
      if (!(await load())) wrap.remove();
    } catch (err) {
      status.textContent = err.message;
    } finally {
      button.disabled = false;
      button.textContent = label;
    }
  });
  return wrap;
}
