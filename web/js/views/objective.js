// One objective: its threads, optionally narrowed to one key action, newest activity first.
import { append, h } from '../dom.js';
import * as api from '../api.js';
import * as session from '../session.js';
import { count, timeEl } from '../format.js';
import { keyActionTitle } from '../data.js';
import { breadcrumb, byline, loadMore, notice, pageHeading, setTitle, threadBadges } from '../ui.js';

const PAGE = 20;

function threadItem(thread, objective) {
  const kaTitle = keyActionTitle(objective, thread.key_action_id);
  const badges = threadBadges(thread);
  return h('li', { class: ['thread-item', thread.pinned && 'is-pinned'] },
    h('h3', { class: 'thread-item-title' }, h('a', { href: `#/t/${thread.id}` }, thread.title)),
    badges.length ? h('p', { class: 'badges' }, badges) : null,
    h('p', { class: 'meta' }, byline(thread.author, { anonymous: thread.anonymous })),
    h('p', { class: 'meta meta--quiet' },
      h('span', {}, 'Started ', timeEl(thread.created_at)),
      h('span', {}, count(thread.post_count, 'contribution')),
      h('span', {}, 'Last activity ', timeEl(thread.last_post_at))),
    kaTitle ? h('p', { class: 'meta meta--quiet' }, `Key action: ${kaTitle}`) : null);
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

export async function render(root, { params, query }) {
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
  const add = (threads) => threads.map((t) => {
    const item = threadItem(t, objective);
    list.append(item);
    return item;
  });
  add(first.threads);

  const section = h('section', { class: 'threads', 'aria-labelledby': 'threads-heading' },
    h('h2', { id: 'threads-heading' }, active ? `Threads on \u201c${active.title}\u201d` : 'All threads'),
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
    h('div', { class: 'objective-layout' },
      h('div', { class: 'objective-side' }, keyActionFilter(objective, active)),
      h('div', { class: 'objective-main' }, startThread(objective, active), section)));
}
