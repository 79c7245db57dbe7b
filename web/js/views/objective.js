// One objective: its threads, optionally narrowed to one key action, newest activity first.
// While the page is open, new threads are offered with a banner and the counts of the listed
// threads follow new contributions (GET /events?objective=).
import { append, h } from '../dom.js';
import * as api from '../api.js';
import * as session from '../session.js';
import { count, timeEl } from '../format.js';
import { keyActionTitle } from '../data.js';
import * as follows from '../follows.js';
import { advertise, feedLink } from '../feeds.js';
import { subscribe } from '../live.js';
import { exportTools } from '../exports.js';
import * as notify from '../notify.js';
import { breadcrumb, byline, loadMore, notice, pageHeading, setTitle, threadBadges } from '../ui.js';

const PAGE = 20;

const TEXT = {
  feedTitle: (title) => `Atom feed: ${title}`,
  newThreads: (n) => `New threads: ${n.toLocaleString('en-GB')}`,
  show: 'Show',
  showHidden: ' the new threads',
  shown: 'The list of threads is up to date.',
  lastActivity: 'Last activity ',
};

// The list item, and its count and last-activity parts for live updates.
function threadItem(thread, objective) {
  const kaTitle = keyActionTitle(objective, thread.key_action_id);
  const badges = threadBadges(thread);
  const countEl = h('span', {}, count(thread.post_count, 'contribution'));
  const lastEl = h('span', {}, TEXT.lastActivity, timeEl(thread.last_post_at));
  const li = h('li', { class: ['thread-item', thread.pinned && 'is-pinned'] },
    h('h3', { class: 'thread-item-title' }, h('a', { href: `#/t/${thread.id}`, id: `thread-link-${thread.id}` }, thread.title)),
    badges.length ? h('p', { class: 'badges' }, badges) : null,
    h('p', { class: 'meta' }, byline(thread.author, { anonymous: thread.anonymous })),
    h('p', { class: 'meta meta--quiet' },
      h('span', {}, 'Started ', timeEl(thread.created_at)),
      countEl,
      lastEl),
    kaTitle ? h('p', { class: 'meta meta--quiet' }, `Key action: ${kaTitle}`) : null);
  let posts = Number(thread.post_count) || 0;
  const addPost = (post) => {
    posts += 1;
    countEl.textContent = count(posts, 'contribution');
    lastEl.replaceChildren(TEXT.lastActivity, timeEl(post.created_at));
  };
  return { li, addPost };
}

function keyActionFilter(objective, active) {
  const base = `#/o/${encodeURIComponent(objective.slug)}`;
  const link = (href, label, current) => h('li', {},
    h('a', { href, class: 'filter-link', 'aria-current': current ? 'page' : false }, label));
  return h('nav', { class: 'filter', 'aria-label': 'Filter threads by key action' },
    h('h2', { class: 'subheading' }, 'Key actions'),
    h('ul', { class: 'filter-list' },
      link(base, 'All key actions', !active),
      objective.key_actions.map((ka) => link(`${base}?ka=${encodeURIComponent(ka.slug)}`, ka.title, ka === active))));
}

function startThread(objective, active) {
  const target = `#/o/${encodeURIComponent(objective.slug)}/new${active ? `?ka=${encodeURIComponent(active.slug)}` : ''}`;
  if (session.suspension()) return null;
  if (session.currentUser()) {
    return h('p', { class: 'actions' }, h('a', { href: target, class: 'button' }, 'Start a thread'));
  }
  return h('p', { class: 'actions' },
    h('a', { href: `#/login?next=${encodeURIComponent(target)}`, class: 'button' }, 'Sign in to start a thread'),
    h('span', {}, 'or ', h('a', { href: '#/register' }, 'register as a participant'), '.'));
}

export async function render(root, { params, query, signal, refresh }) {
  const followState = follows.loadQuietly();
  const wanted = query.get('ka');
  const slug = encodeURIComponent(params.slug);
  const listQuery = { limit: PAGE, key_action: wanted };
  const [{ objective }, first] = await Promise.all([
    api.get(`/objectives/${slug}`),
    api.get(`/objectives/${slug}/threads`, listQuery),
  ]);
  const active = wanted ? objective.key_actions.find((k) => k.slug === wanted || String(k.id) === wanted) : null;

  setTitle(active ? `${active.title} – ${objective.title}` : objective.title);
  const list = h('ol', { class: 'thread-list' });
  const shown = new Map();
  const add = (threads) => threads.filter((t) => !shown.has(t.id)).map((t) => {
    const item = threadItem(t, objective);
    shown.set(t.id, item);
    list.append(item.li);
    return item.li;
  });
  add(first.threads);

  const state = await followState;
  const newThreads = new Set();
  let newest = null;
  const bannerText = h('span', {});
  const showButton = h('button', { type: 'button', class: 'button button--small', hidden: true },
    TEXT.show, h('span', { class: 'visually-hidden' }, TEXT.showHidden));
  showButton.addEventListener('click', () => refresh({
    focusId: newest ? `thread-link-${newest}` : null, message: TEXT.shown,
  }));
  // The status region is in the page (empty) from the start, so what is written into it is read out.
  const banner = h('div', { class: 'new-threads' },
    h('p', { role: 'status', class: 'new-threads-text' }, bannerText), showButton);

  const section = h('section', { class: 'threads', 'aria-labelledby': 'threads-heading' },
    h('h2', { id: 'threads-heading' }, active ? `Threads on \u201c${active.title}\u201d` : 'All threads'),
    active ? h('div', { class: 'page-tools' },
      follows.followButton('key_action', active.id, state), feedLink('key_action', active.id)) : null,
    banner,
    first.threads.length ? list : notice(active
      ? 'No thread has been started under this key action yet.'
      : 'No thread has been started under this objective yet.', 'muted'));

  let cursor = first.next_cursor;
  if (cursor) {
    append(section, loadMore('Load more threads', async () => {
      const page = await api.get(`/objectives/${slug}/threads`, { ...listQuery, cursor });
      cursor = page.next_cursor;
      const added = add(page.threads);
      // The button may disappear; keep keyboard users where the new items begin.
      if (added.length) added[0].querySelector('a').focus();
      return !!cursor;
    }));
  }

  append(root,
    breadcrumb([{ label: 'Objectives', href: '#/' }, { label: `Objective ${objective.number}` }]),
    h('p', { class: 'kicker' }, `Strategic objective ${objective.number}`),
    pageHeading(objective.title),
    h('p', { class: 'lead' }, objective.summary),
    h('div', { class: 'page-tools' },
      follows.followButton('objective', objective.id, state), feedLink('objective', objective.id)),
    h('div', { class: 'objective-layout' },
      h('div', { class: 'objective-side' }, keyActionFilter(objective, active)),
      h('div', { class: 'objective-main' }, startThread(objective, active), section)),
    exportTools('objective', objective.id, objective.id));

  advertise('objective', objective.id, TEXT.feedTitle(objective.title), signal);
  if (active) advertise('key_action', active.id, TEXT.feedTitle(active.title), signal);

  subscribe({ objective: objective.id }, {
    thread: (d) => {
      const t = d && d.thread;
      if (!t || t.objective_id !== objective.id || shown.has(t.id) || newThreads.has(t.id)) return;
      if (active && t.key_action_id !== active.id) return;
      newThreads.add(t.id);
      newest = t.id;
      bannerText.textContent = TEXT.newThreads(newThreads.size);
      banner.classList.add('is-active');
      showButton.hidden = false;
      notify.refreshSoon();
    },
    post: (d) => {
      const item = d && d.post ? shown.get(d.post.thread_id) : null;
      if (item) item.addPost(d.post);
      notify.refreshSoon();
    },
    reset: () => refresh({ message: TEXT.shown }),
  }, signal);
}
