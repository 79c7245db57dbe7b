// Every notification of the signed-in person, newest first, all or only the unread ones, with
// "More" for older ones and "Mark all as read".
import { append, h } from '../dom.js';
import * as api from '../api.js';
import * as session from '../session.js';
import { tabs } from '../mod-nav.js';
import * as notify from '../notify.js';
import { loadMore, notice, pageHeading, setTitle } from '../ui.js';

const PAGE = 20;

const TEXT = {
  title: 'Notifications',
  signIn: 'Please sign in to see your notifications.',
  signInLink: 'Sign in',
  tabsLabel: 'Which notifications',
  all: 'All',
  unread: 'Unread',
  listHeading: (only) => (only ? 'Unread notifications' : 'All notifications'),
  intro: 'You are told here about new threads in the objectives and key actions you follow, new '
    + 'contributions to the threads you follow, replies to your contributions, and moderators\u2019 '
    + 'decisions about your contributions.',
  emptyAll: 'You have no notifications yet. Use the \u201cFollow\u201d buttons on objectives, key actions and '
    + 'threads to hear about new contributions.',
  emptyUnread: 'You have no unread notifications.',
  markAll: 'Mark all as read',
  markedAll: 'All notifications are marked as read.',
  more: 'More',
};

export async function render(root, { query, signal }) {
  setTitle(TEXT.title);
  if (!session.currentUser()) {
    append(root, pageHeading(TEXT.title), notice([`${TEXT.signIn} `,
      h('a', { href: `#/login?next=${encodeURIComponent('#/notifications')}` }, TEXT.signInLink), '.'], 'info'));
    return;
  }
  const only = query.get('unread') === '1';
  const listQuery = { limit: PAGE, unread: only ? 1 : null };
  const first = await api.get('/notifications', listQuery);
  notify.setUnread(first.unread_count);

  const list = h('ol', { class: 'notification-list', 'aria-labelledby': 'notifications-heading' });
  const add = (items) => items.map((n) => {
    const li = notify.notificationItem(n);
    li.tabIndex = -1;
    list.append(li);
    return li;
  });
  add(first.notifications);

  const status = h('p', { class: 'notify-status', role: 'status' });
  const markAll = h('button', { type: 'button', class: 'button button--secondary' }, TEXT.markAll);
  markAll.addEventListener('click', async () => {
    status.textContent = '';
    try {
      await notify.markRead(null);
      status.textContent = TEXT.markedAll;
    } catch (err) {
      status.textContent = err.message;
    }
  });
  // Marked read here or in the header's panel: show it on this list.
  notify.onMarked((ids) => {
    list.querySelectorAll('.notification.is-unread').forEach((li) => {
      if (ids === null || ids.includes(Number(li.dataset.id))) notify.showRead(li);
    });
  }, signal);

  append(root,
    pageHeading(TEXT.title),
    h('p', { class: 'lead' }, TEXT.intro),
    tabs(TEXT.tabsLabel, [
      { key: 'all', href: '#/notifications', label: TEXT.all },
      { key: 'unread', href: '#/notifications?unread=1', label: TEXT.unread },
    ], only ? 'unread' : 'all'),
    h('h2', { id: 'notifications-heading', class: 'visually-hidden' }, TEXT.listHeading(only)),
    first.notifications.length
      ? [h('div', { class: 'actions' }, markAll), status, list]
      : notice(only ? TEXT.emptyUnread : TEXT.emptyAll, 'muted'));

  let cursor = first.next_cursor;
  if (cursor) {
    append(root, loadMore(TEXT.more, async () => {
      const page = await api.get('/notifications', { ...listQuery, cursor });
      cursor = page.next_cursor;
      notify.setUnread(page.unread_count);
      const added = add(page.notifications);
      // The button may go away: keep keyboard users where the new items begin.
      if (added.length) added[0].focus();
      return !!cursor;
    }));
  }
}
