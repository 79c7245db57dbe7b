// Notifications: the unread count in the header (polled every minute while the page is visible,
// and asked for again when a live event arrives), the header's panel with the newest ones, and
// the wording of a notification, which the full page (views/notifications.js) shares.
import { append, h, replace } from './dom.js';
import * as api from './api.js';
import * as session from './session.js';
import { timeEl } from './format.js';
import { formatNumber, t } from './i18n.js';
import { uid } from './forms.js';
import { announce, authorName, badge } from './ui.js';

const POLL_MS = 60 * 1000;
const PANEL_LIMIT = 8;
// Live events come in bursts; the notifications are computed when read, so one request will do.
const SOON_MS = 1500;

const TEXT = {
  button: t('notify.button'),
  panelTitle: t('notify.panelTitle'),
  loading: t('notify.loading'),
  empty: t('notify.empty'),
  markAll: t('notify.markAll'),
  markedAll: t('notify.markedAll'),
  seeAll: t('notify.seeAll'),
  unread: t('notify.unread'),
  markOne: t('notify.markOne'),
  markedOne: t('notify.markedOne'),
  reason: t('notify.reason'),
  badge: (n) => (n > 99 ? t('notify.badgeMany') : formatNumber(n)),
  arrived: (n) => (n > 99 ? t('notify.arrivedMany') : t('notify.arrived', { count: n })),
};

// ---- Wording of one notification, shared with the full page ----

export function notificationHref(n) {
  if (!n.thread_id) return null;
  return n.post_id ? `#/t/${n.thread_id}?post=${n.post_id}` : `#/t/${n.thread_id}`;
}

// One sentence per kind, with and without the thread's title (the quotation marks are each
// language's own, so they are in the messages).
function sentence(n) {
  const title = n.thread_title || '';
  const actor = n.actor ? authorName(n.actor) : authorName(null, true);
  switch (n.kind) {
    case 'new_thread': return title ? t('notify.kind.newThread', { title }) : t('notify.kind.newThreadUntitled');
    case 'new_post': return title ? t('notify.kind.newPost', { title }) : t('notify.kind.newPostUntitled');
    case 'reply': return title ? t('notify.kind.reply', { title, actor }) : t('notify.kind.replyUntitled', { actor });
    case 'moderation':
      if (!n.post_id && !n.thread_id) return t('notify.kind.moderationAccount');
      return title ? t('notify.kind.moderationPost', { title }) : t('notify.kind.moderationPostUntitled');
    default: return title ? t('notify.kind.other', { title }) : t('notify.kind.otherUntitled');
  }
}

// Shows a list item of notificationItem() as read. Its "Mark as read" button goes too; if it had
// the focus, the item takes it (the full page makes items focusable).
export function showRead(li) {
  li.classList.remove('is-unread');
  const mark = li.querySelector('.notification-unread');
  if (mark) mark.remove();
  const button = li.querySelector('.notification-mark');
  if (button) {
    const hadFocus = document.activeElement === button;
    button.remove();
    if (hadFocus) li.focus();
  }
}

// One notification as a list item. Following its link marks it read; with markable, an unread one
// also has a "Mark as read" button (for notifications without a link, or to clear without reading).
export function notificationItem(n, { markable = false } = {}) {
  const href = notificationHref(n);
  const text = sentence(n);
  const titleId = uid('notification-title');
  const li = h('li', { class: ['notification', !n.read && 'is-unread'], dataset: { id: String(n.id) } });
  const link = href ? h('a', { href, class: 'notification-link' }, text) : h('span', { class: 'notification-link' }, text);
  if (href && !n.read) {
    link.addEventListener('click', () => {
      n.read = true;
      showRead(li);
      markRead([n.id]).catch(() => {});
    });
  }
  let markButton = null;
  if (markable && !n.read) {
    markButton = h('button', {
      type: 'button', class: 'button button--secondary button--small notification-mark', 'aria-describedby': titleId,
    }, TEXT.markOne);
    markButton.addEventListener('click', async () => {
      if (markButton.getAttribute('aria-busy') === 'true') return;
      markButton.setAttribute('aria-busy', 'true');
      try {
        await markRead([n.id]);
        n.read = true;
        showRead(li);
        announce(TEXT.markedOne);
      } catch (err) {
        announce(err.message);
      } finally {
        markButton.removeAttribute('aria-busy');
      }
    });
  }
  append(li,
    h('p', { class: 'notification-title', id: titleId },
      n.read ? null : h('span', { class: 'notification-unread' }, badge(TEXT.unread, 'unread'), ' '),
      link),
    h('p', { class: 'meta meta--quiet' },
      n.actor && n.kind !== 'reply' && n.kind !== 'moderation'
        ? h('span', {}, t('notify.by', { name: authorName(n.actor) })) : null,
      h('span', {}, timeEl(n.created_at))),
    n.kind === 'moderation' && n.reason
      ? h('p', { class: 'notification-reason' }, h('span', { class: 'notification-reason-label' }, TEXT.reason), ' ', n.reason)
      : null,
    markButton ? h('p', { class: 'notification-actions' }, markButton) : null);
  return li;
}

// ---- The unread count ----

let userId = null;
let unread = 0;
let known = false;
let lastAsked = 0;
let pollTimer = null;
let soonTimer = null;
const markedListeners = new Set();

// fn(ids) after notifications were marked read (ids null: all of them), so every list on screen
// can show it. Removed when signal aborts.
export function onMarked(fn, signal) {
  markedListeners.add(fn);
  if (signal) signal.addEventListener('abort', () => markedListeners.delete(fn), { once: true });
}

export function unreadCount() {
  return unread;
}

// The count as the server last reported it (from any GET /notifications answer).
export function setUnread(n) {
  const next = Math.max(0, Number(n) || 0);
  const grew = known && next > unread;
  unread = next;
  known = true;
  drawButton();
  if (grew) announce(TEXT.arrived(next));
}

export async function refresh() {
  if (!session.currentUser()) return;
  const asking = userId;
  lastAsked = Date.now();
  try {
    const res = await api.get('/notifications', { limit: 1, unread: 1 });
    if (asking === userId) setUnread(res.unread_count);
  } catch {
    // Keep the last count: the next poll tries again (a 401 signs the header out on its own).
  }
}

// After a live event: ask again shortly, once for a burst of events.
export function refreshSoon() {
  if (!session.currentUser() || soonTimer !== null) return;
  soonTimer = window.setTimeout(() => {
    soonTimer = null;
    refresh();
  }, SOON_MS);
}

// ids: the notifications to mark read, or null for all of them.
export async function markRead(ids) {
  await api.post('/notifications/read', ids ? { ids } : {});
  if (ids === null) setUnread(0);
  else refresh();
  markedListeners.forEach((fn) => fn(ids));
}

function stopPolling() {
  if (pollTimer !== null) window.clearInterval(pollTimer);
  if (soonTimer !== null) window.clearTimeout(soonTimer);
  pollTimer = null;
  soonTimer = null;
}

function startPolling() {
  stopPolling();
  pollTimer = window.setInterval(() => {
    if (document.visibilityState === 'visible') refresh();
  }, POLL_MS);
  refresh();
}

// Back on a tab that was hidden: ask now rather than wait for the next tick.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && session.currentUser() && Date.now() - lastAsked >= POLL_MS) refresh();
});

session.onChange((user) => {
  const id = user ? user.id : null;
  if (id === userId) return;
  userId = id;
  unread = 0;
  known = false;
  closePanel({ restoreFocus: false });
  if (id === null) stopPolling();
  else startPolling();
  drawButton();
});

// ---- The header's button and panel ----

let item = null;
let button = null;
let badgeEl = null;
let badgeNumber = null;
let badgeWord = null;
let panelEl = null;
let panelBody = null;
let markAllButton = null;
let panelStatus = null;
let openState = false;
let loadSeq = 0;

// The button's name is its visible text plus a hidden word: "Notifications 3 unread". An
// aria-label that reworded it ("Notifications, 3 unread") would not contain the visible "3", and
// speech-input users say what they see (WCAG 2.5.3).
function drawButton() {
  if (!button) return;
  badgeNumber.textContent = TEXT.badge(unread);
  badgeWord.textContent = ` ${t('notify.unreadWord', { count: unread })}`;
  badgeEl.hidden = unread <= 0;
}

function closePanel({ restoreFocus = true } = {}) {
  if (!openState) return;
  openState = false;
  loadSeq += 1;
  panelEl.hidden = true;
  button.setAttribute('aria-expanded', 'false');
  if (restoreFocus) button.focus();
}

async function fillPanel() {
  const mine = ++loadSeq;
  panelStatus.textContent = '';
  markAllButton.hidden = true;
  replace(panelBody, h('p', { class: 'loading' }, TEXT.loading));
  panelBody.setAttribute('aria-busy', 'true');
  try {
    const res = await api.get('/notifications', { limit: PANEL_LIMIT });
    if (mine !== loadSeq) return;
    setUnread(res.unread_count);
    const list = res.notifications || [];
    replace(panelBody, list.length
      ? h('ol', { class: 'notification-list notification-list--panel' }, list.map((n) => notificationItem(n)))
      : h('p', { class: 'notify-empty' }, TEXT.empty));
    markAllButton.hidden = !list.some((n) => !n.read) && unread <= 0;
  } catch (err) {
    if (mine !== loadSeq) return;
    replace(panelBody, h('p', { class: 'notify-error', role: 'alert' }, err.message));
  } finally {
    if (mine === loadSeq) panelBody.removeAttribute('aria-busy');
  }
}

function openPanel() {
  openState = true;
  panelEl.hidden = false;
  button.setAttribute('aria-expanded', 'true');
  fillPanel();
}

function build() {
  badgeNumber = h('span', {});
  badgeWord = h('span', { class: 'visually-hidden' });
  badgeEl = h('span', { class: 'notify-badge-wrap', hidden: true },
    h('span', { class: 'notify-badge' }, badgeNumber), badgeWord);
  button = h('button', {
    type: 'button', class: 'nav-button notify-button', id: 'notify-button',
    'aria-expanded': 'false', 'aria-controls': 'notify-panel',
  }, h('span', { class: 'notify-button-text' }, TEXT.button), ' ', badgeEl);
  button.addEventListener('click', () => {
    if (openState) closePanel();
    else openPanel();
  });

  panelBody = h('div', { class: 'notify-panel-body' });
  panelStatus = h('p', { class: 'notify-status', role: 'status' });
  markAllButton = h('button', { type: 'button', class: 'button button--secondary button--small', hidden: true },
    TEXT.markAll);
  markAllButton.addEventListener('click', async () => {
    panelStatus.textContent = '';
    try {
      await markRead(null);
      panelBody.querySelectorAll('.notification.is-unread').forEach(showRead);
      panelStatus.textContent = TEXT.markedAll;
    } catch (err) {
      panelStatus.textContent = err.message;
    }
  });
  const seeAll = h('a', { href: '#/notifications', class: 'notify-see-all' }, TEXT.seeAll);
  panelEl = h('div', {
    class: 'notify-panel', id: 'notify-panel', hidden: true, role: 'region', 'aria-labelledby': 'notify-panel-title',
  },
  h('h2', { class: 'notify-panel-title', id: 'notify-panel-title' }, TEXT.panelTitle),
  panelBody,
  panelStatus,
  h('div', { class: 'notify-panel-actions' }, markAllButton, seeAll));

  item = h('li', { class: 'site-nav-notify' }, button, panelEl);
  item.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && openState) {
      ev.stopPropagation();
      closePanel();
    }
  });
  // Tabbing out of the panel, or clicking elsewhere, closes it.
  item.addEventListener('focusout', (ev) => {
    if (openState && ev.relatedTarget && !item.contains(ev.relatedTarget)) closePanel({ restoreFocus: false });
  });
  document.addEventListener('click', (ev) => {
    if (openState && !item.contains(ev.target)) closePanel({ restoreFocus: false });
  });
  // Following a notification's link, or any other navigation, closes it too.
  window.addEventListener('hashchange', () => closePanel({ restoreFocus: false }));
  // Notifications marked read on the full page show as read here as well.
  onMarked((ids) => {
    panelBody.querySelectorAll('.notification.is-unread').forEach((li) => {
      if (ids === null || ids.includes(Number(li.dataset.id))) showRead(li);
    });
  });
  drawButton();
}

// The header's list item, or null when nobody is signed in. The same element each time, so the
// router's redraws of the header keep its state.
export function navItem() {
  if (!session.currentUser()) return null;
  if (!item) build();
  return item;
}
