// Every notification of the signed-in person, newest first, all or only the unread ones, with
// "More" for older ones, "Mark as read" on each unread one and "Mark all as read"; below them,
// what the person follows, each with its Follow toggle (GET /me/follows).
import { append, h, withNodes } from '../dom.js';
import * as api from '../api.js';
import * as session from '../session.js';
import * as data from '../data.js';
import * as follows from '../follows.js';
import { t } from '../i18n.js';
import { uid } from '../forms.js';
import { tabs } from '../mod-nav.js';
import * as notify from '../notify.js';
import { loadMore, notice, pageHeading, setTitle } from '../ui.js';

const PAGE = 20;
// Thread titles of followed threads are asked for one by one; a long list shows its first ones.
const THREADS_SHOWN = 30;

const TEXT = {
  title: t('notifications.title'),
  signIn: t('notifications.signIn'),
  signInLink: t('notifications.signInLink'),
  tabsLabel: t('notifications.tabsLabel'),
  all: t('notifications.all'),
  unread: t('notifications.unread'),
  listAll: t('notifications.listAll'),
  listUnread: t('notifications.listUnread'),
  intro: t('notifications.intro'),
  emptyAll: t('notifications.emptyAll'),
  emptyUnread: t('notifications.emptyUnread'),
  markAll: t('notifications.markAll'),
  markedAll: t('notifications.markedAll'),
  more: t('notifications.more'),
  followsHeading: t('notifications.followsHeading'),
  followsIntro: t('notifications.followsIntro'),
  followsNone: t('notifications.followsNone'),
  followsObjectives: t('notifications.followsObjectives'),
  followsKeyActions: t('notifications.followsKeyActions'),
  followsThreads: t('notifications.followsThreads'),
  follow: t('notifications.follow'),
  followsError: t('notifications.followsError'),
};

// One followed item: its name (a link) and a Follow toggle, pressed, described by the name.
function followedItem(kind, id, label, href, state) {
  const nameId = uid('followed');
  return h('li', { class: 'followed-item' },
    h('span', { class: 'followed-name', id: nameId }, href ? h('a', { href }, label) : label),
    follows.followButton(kind, id, state, { label: TEXT.follow, describedBy: nameId }));
}

// A thread's title for the list, or "Thread 12" when it cannot be read (moved out of sight, say).
async function threadTitle(id) {
  try {
    const res = await api.get(`/threads/${encodeURIComponent(id)}`, { limit: 1 });
    return res.thread.title;
  } catch {
    return t('notifications.threadFallback', { id });
  }
}

async function followsSection() {
  const section = h('section', { class: 'follows-section', 'aria-labelledby': 'follows-heading' },
    h('h2', { id: 'follows-heading' }, TEXT.followsHeading));
  let state;
  let objectives;
  try {
    [state, objectives] = await Promise.all([follows.load({ fresh: true }), data.objectives()]);
  } catch {
    append(section, notice(TEXT.followsError, 'muted'));
    return section;
  }
  if (!state) return null;
  const objectiveIds = [...state.objective];
  const keyActionIds = [...state.key_action];
  const threadIds = [...state.thread];
  if (!objectiveIds.length && !keyActionIds.length && !threadIds.length) {
    append(section, notice(TEXT.followsNone, 'muted'));
    return section;
  }
  append(section, h('p', {}, TEXT.followsIntro));

  const group = (headingText, items) => {
    if (!items.length) return null;
    const headingId = uid('follows-group');
    return h('div', { class: 'follows-group' },
      h('h3', { id: headingId }, headingText),
      h('ul', { class: 'followed-list', 'aria-labelledby': headingId }, items));
  };

  const objectiveItems = objectiveIds.map((id) => {
    const o = objectives.find((x) => x.id === id);
    return followedItem('objective', id, o
      ? withNodes(t('notifications.followedObjective', { number: o.number }), { title: data.seeded(o.title) })
      : t('notifications.objectiveFallback', { id }), o ? data.objectiveHref(o) : null, state);
  });
  const keyActionItems = keyActionIds.map((id) => {
    const o = objectives.find((x) => x.key_actions.some((k) => k.id === id));
    const ka = o ? data.findKeyAction(o, id) : null;
    return followedItem('key_action', id, ka ? data.seeded(ka.title) : t('notifications.keyActionFallback', { id }),
      ka ? data.keyActionHref(o, ka) : null, state);
  });
  const shownThreads = threadIds.slice(0, THREADS_SHOWN);
  const titles = await Promise.all(shownThreads.map(threadTitle));
  const threadItems = shownThreads.map((id, i) => followedItem('thread', id, titles[i], `#/t/${id}`, state));

  append(section,
    group(TEXT.followsObjectives, objectiveItems),
    group(TEXT.followsKeyActions, keyActionItems),
    group(TEXT.followsThreads, threadItems),
    threadIds.length > THREADS_SHOWN
      ? h('p', { class: 'hint' }, t('notifications.moreThreads', { count: threadIds.length - THREADS_SHOWN })) : null);
  return section;
}

export async function render(root, { query, signal }) {
  setTitle(TEXT.title);
  if (!session.currentUser()) {
    append(root, pageHeading(TEXT.title), notice(withNodes(TEXT.signIn, {
      link: h('a', { href: `#/login?next=${encodeURIComponent('#/notifications')}` }, TEXT.signInLink),
    }), 'info'));
    return;
  }
  const only = query.get('unread') === '1';
  const listQuery = { limit: PAGE, unread: only ? 1 : null };
  const [first, followed] = await Promise.all([api.get('/notifications', listQuery), followsSection()]);
  notify.setUnread(first.unread_count);

  const list = h('ol', { class: 'notification-list', 'aria-labelledby': 'notifications-heading' });
  const add = (items) => items.map((n) => {
    const li = notify.notificationItem(n, { markable: true });
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
    h('h2', { id: 'notifications-heading', class: 'visually-hidden' }, only ? TEXT.listUnread : TEXT.listAll),
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
  append(root, followed);
}
