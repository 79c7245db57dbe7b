// Pieces every page shares: titles, headings, breadcrumbs, badges, bylines, notices.
import { h, withNodes } from './dom.js';
import { t } from './i18n.js';
import { brusselsTimeEl, formatBrussels } from './format.js';
import { stakeholderLabel } from './labels.js';
import { countryName } from './countries.js';

const SITE = t('common.site');

export function setTitle(title) {
  document.title = title ? t('ui.documentTitle', { page: title, site: SITE }) : SITE;
}

// tabindex=-1 lets the router move focus here after navigation without adding a tab stop.
export function pageHeading(text) {
  return h('h1', { class: 'page-title', tabindex: '-1' }, text);
}

// items: [{ label, href }], the last one being the current page (no href).
export function breadcrumb(items) {
  return h('nav', { class: 'breadcrumb', 'aria-label': t('ui.breadcrumb') },
    h('ol', {}, items.map((item) => h('li', {},
      item.href ? h('a', { href: item.href }, item.label) : h('span', { 'aria-current': 'page' }, item.label)))));
}

export function badge(text, kind) {
  return h('span', { class: ['badge', kind && `badge--${kind}`] }, text);
}

export function threadBadges(thread) {
  return [
    thread.pinned && badge(t('ui.pinned'), 'pinned'),
    thread.locked && badge(t('ui.locked'), 'locked'),
    thread.consultation && consultationBadge(thread.consultation),
  ].filter(Boolean);
}

export function consultationBadge(c) {
  if (c.state === 'open') return badge(t('ui.consultationOpenUntil', { date: formatBrussels(c.closes_at, { short: true }) }), 'open');
  if (c.state === 'planned') {
    return badge(c.opens_at ? t('ui.consultationOpens', { date: formatBrussels(c.opens_at, { short: true }) })
      : t('ui.consultationPlanned'), 'planned');
  }
  return badge(t('ui.consultationClosed'), 'closed');
}

export function notice(content, kind = 'info', props = {}) {
  return h('div', { class: ['notice', `notice--${kind}`], ...props }, h('p', {}, content));
}

export function authorName(author, anonymous = false) {
  const a = author || {};
  // The server names anonymous authors "Anonymous" and erased accounts "Deleted user", in English.
  if (anonymous || a.id === null) return a.display_name && a.display_name !== 'Anonymous' ? a.display_name : t('ui.anonymous');
  if (a.display_name === 'Deleted user') return t('ui.deletedUser');
  return a.display_name || t('ui.unknownParticipant');
}

// "Anna Kowalska · Civil society · Fundacja … · Poland". Anonymous authors keep their stakeholder
// type and country, which the API still discloses, but never a name or organisation.
// nameNode replaces the plain name, for a moderator's participant menu.
export function byline(author, { anonymous = false, nameNode = null } = {}) {
  const a = author || {};
  const details = [
    stakeholderLabel(a.stakeholder_type),
    !anonymous && a.organisation,
    countryName(a.country),
  ].filter(Boolean);
  return h('span', { class: 'byline' },
    nameNode || h('span', { class: 'byline-name' }, authorName(a, anonymous)),
    details.length ? h('span', { class: 'byline-details' }, details.join(' \u00b7 ')) : null);
}

export function loading(text = t('common.loading')) {
  return h('p', { class: 'loading', role: 'status' }, text);
}

// For a page that could not load at all: a heading the router can focus and the reason.
export function errorPage(title, err) {
  setTitle(title);
  return [
    pageHeading(title),
    notice(err ? err.message : t('ui.somethingWrong'), 'error', { role: 'alert' }),
    h('p', {}, h('a', { href: '#/' }, t('ui.backHome'))),
  ];
}

// A "Load more" button. load() appends the next page and resolves to whether another page exists.
export function loadMore(label, load) {
  const status = h('p', { class: 'load-more-status', role: 'alert' });
  const button = h('button', { type: 'button', class: 'button button--secondary' }, label);
  const wrap = h('div', { class: 'load-more' }, button, status);
  button.addEventListener('click', async () => {
    button.disabled = true;
    button.textContent = t('common.loading');
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

// One polite live region for the whole app, outside the pages the router swaps, so a message
// such as "Thread locked" survives the page being redrawn and is still read out.
let liveRegion = null;
export function announce(message) {
  if (!liveRegion) {
    liveRegion = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    document.body.append(liveRegion);
  }
  liveRegion.textContent = '';
  // A fresh text node a moment later is announced even when the same message repeats.
  window.setTimeout(() => { liveRegion.textContent = message; }, 50);
}

// Shown on every page while the signed-in account is suspended.
export function suspensionBanner(s) {
  return h('div', { class: 'notice notice--error suspension-banner' },
    h('p', {}, h('strong', {}, t('ui.suspended.title')), ' ',
      withNodes(t('ui.suspended.until'), { date: brusselsTimeEl(s.until) })),
    s.reason ? h('p', {}, withNodes(t('ui.suspended.reason'), { reason: h('span', {}, s.reason) })) : null,
    h('p', {}, t('ui.suspended.what')));
}

// The API's roles, worded for people.
const ROLES = { admin: t('ui.role.admin'), moderator: t('ui.role.moderator'), member: t('ui.role.member') };
export function roleLabel(role) {
  return Object.hasOwn(ROLES, role) ? ROLES[role] : String(role || '');
}
