// One objective: its threads, optionally narrowed to one key action (#/o/<slug>?key_action=<id>;
// the older ?ka=<slug> still works), newest activity first. While the page is open, new threads
// are offered with a banner and the counts of the listed threads follow new contributions
// (GET /events?objective=).
import { append, h, withNodes } from '../dom.js';
import * as api from '../api.js';
import * as session from '../session.js';
import { t } from '../i18n.js';
import { contributionCount, timeEl } from '../format.js';
import { findKeyAction, keyActionHref, objectiveHref, SEEDED_LANG, seeded } from '../data.js';
import * as follows from '../follows.js';
import { advertise, feedLink, feedTitle } from '../feeds.js';
import { subscribe } from '../live.js';
import { exportTools } from '../exports.js';
import * as notify from '../notify.js';
import { breadcrumb, byline, loadMore, notice, pageHeading, setTitle, threadBadges } from '../ui.js';

const PAGE = 20;

const TEXT = {
  objectives: t('objective.breadcrumbObjectives'),
  show: t('objective.showNew'),
  showName: t('objective.showNewName'),
  shown: t('objective.upToDate'),
  lastActivity: t('objective.lastActivity'),
  started: t('objective.started'),
  threadKeyAction: t('objective.threadKeyAction'),
  filterLabel: t('objective.filterLabel'),
  keyActions: t('objective.keyActions'),
  allKeyActions: t('objective.allKeyActions'),
  allThreads: t('objective.allThreads'),
  startThread: t('objective.startThread'),
  signInToStart: t('objective.signInToStart'),
  orRegister: t('objective.orRegister'),
  registerLink: t('objective.registerLink'),
  noThreads: t('objective.noThreads'),
  noThreadsKeyAction: t('objective.noThreadsKeyAction'),
  unknownKeyAction: t('objective.unknownKeyAction'),
  more: t('objective.moreThreads'),
  statsLink: t('objective.statsLink'),
  threadsOnKeyAction: t('objective.threadsOnKeyAction'),
};

// The list item, and its count and last-activity parts for live updates.
function threadItem(thread, objective, active) {
  const ka = active ? null : findKeyAction(objective, thread.key_action_id);
  const badges = threadBadges(thread);
  const countEl = h('span', {}, contributionCount(thread.post_count));
  const lastEl = h('span', {}, withNodes(TEXT.lastActivity, { time: timeEl(thread.last_post_at) }));
  const li = h('li', { class: ['thread-item', thread.pinned && 'is-pinned'] },
    h('h3', { class: 'thread-item-title' }, h('a', { href: `#/t/${thread.id}`, id: `thread-link-${thread.id}` }, thread.title)),
    badges.length ? h('p', { class: 'badges' }, badges) : null,
    h('p', { class: 'meta' }, byline(thread.author, { anonymous: thread.anonymous })),
    h('p', { class: 'meta meta--quiet' },
      h('span', {}, withNodes(TEXT.started, { time: timeEl(thread.created_at) })),
      countEl,
      lastEl),
    ka ? h('p', { class: 'meta meta--quiet thread-key-action' },
      withNodes(TEXT.threadKeyAction, { title: h('a', { href: keyActionHref(objective, ka), lang: SEEDED_LANG }, ka.title) })) : null);
  let posts = Number(thread.post_count) || 0;
  const addPost = (post) => {
    posts += 1;
    countEl.textContent = contributionCount(posts);
    lastEl.replaceChildren(...withNodes(TEXT.lastActivity, { time: timeEl(post.created_at) }));
  };
  return { li, addPost };
}

// Every key action of the objective as a link to its own list (each with its own address).
function keyActionFilter(objective, active) {
  const link = (href, label, current, lang = false) => h('li', {},
    h('a', { href, class: 'filter-link', 'aria-current': current ? 'page' : false, lang }, label));
  return h('nav', { class: 'filter', 'aria-label': TEXT.filterLabel },
    h('h2', { class: 'subheading' }, TEXT.keyActions),
    h('ul', { class: 'filter-list' },
      link(objectiveHref(objective), TEXT.allKeyActions, !active),
      objective.key_actions.map((ka) => link(keyActionHref(objective, ka), ka.title, ka === active, SEEDED_LANG))));
}

function startThread(objective, active) {
  // The compose page takes the key action as ?ka=<slug>.
  const target = `${objectiveHref(objective)}/new${active ? `?ka=${encodeURIComponent(active.slug)}` : ''}`;
  if (session.suspension()) return null;
  if (session.currentUser()) {
    return h('p', { class: 'actions' }, h('a', { href: target, class: 'button' }, TEXT.startThread));
  }
  return h('p', { class: 'actions' },
    h('a', { href: `#/login?next=${encodeURIComponent(target)}`, class: 'button' }, TEXT.signInToStart),
    h('span', {}, withNodes(TEXT.orRegister, { link: h('a', { href: '#/register' }, TEXT.registerLink) })));
}

export async function render(root, { params, query, signal, refresh }) {
  const followState = follows.loadQuietly();
  // ?key_action= takes an id or a slug, like the API; ?ka= is the older address (a slug).
  const wanted = query.get('key_action') || query.get('ka') || '';
  const slug = encodeURIComponent(params.slug);
  const listQuery = { limit: PAGE, key_action: wanted || null };
  const objectiveP = api.get(`/objectives/${slug}`);
  objectiveP.catch(() => {}); // awaited below; this only keeps an early failure from being "unhandled"
  let first;
  let unknownKeyAction = false;
  try {
    first = await api.get(`/objectives/${slug}/threads`, listQuery);
  } catch (err) {
    // A key action that is not this objective's: say so and list every thread instead.
    if (!(wanted && err.status === 400 && err.field === 'key_action')) {
      throw err;
    }
    unknownKeyAction = true;
    listQuery.key_action = null;
    first = await api.get(`/objectives/${slug}/threads`, listQuery);
  }
  const { objective } = await objectiveP;
  const active = unknownKeyAction ? null : findKeyAction(objective, wanted);
  if (active) listQuery.key_action = active.id;

  setTitle(active ? t('objective.keyActionTitle', { keyAction: active.title, objective: objective.title }) : objective.title);
  const list = h('ol', { class: 'thread-list', 'aria-labelledby': 'threads-heading' });
  const shown = new Map();
  const add = (threads) => threads.filter((th) => !shown.has(th.id)).map((th) => {
    const item = threadItem(th, objective, active);
    shown.set(th.id, item);
    list.append(item.li);
    return item.li;
  });
  add(first.threads);

  const state = await followState;
  const newThreads = new Set();
  let newest = null;
  const bannerText = h('span', {});
  const showButton = h('button', {
    type: 'button', class: 'button button--small', hidden: true, 'aria-label': TEXT.showName,
  }, TEXT.show);
  showButton.addEventListener('click', () => refresh({
    focusId: newest ? `thread-link-${newest}` : null, message: TEXT.shown,
  }));
  // The status region is in the page (empty) from the start, so what is written into it is read out.
  const banner = h('div', { class: 'new-threads' },
    h('p', { role: 'status', class: 'new-threads-text' }, bannerText), showButton);

  const section = h('section', { class: 'threads', 'aria-labelledby': 'threads-heading' },
    h('h2', { id: 'threads-heading' }, active
      ? withNodes(TEXT.threadsOnKeyAction, { title: seeded(active.title) }) : TEXT.allThreads),
    active ? h('div', { class: 'page-tools key-action-tools' },
      follows.followButton('key_action', active.id, state), feedLink('key_action', active.id)) : null,
    unknownKeyAction ? notice(TEXT.unknownKeyAction, 'error', { role: 'alert' }) : null,
    banner,
    first.threads.length ? list : notice(active ? TEXT.noThreadsKeyAction : TEXT.noThreads, 'muted'));

  let cursor = first.next_cursor;
  if (cursor) {
    append(section, loadMore(TEXT.more, async () => {
      const page = await api.get(`/objectives/${slug}/threads`, { ...listQuery, cursor });
      cursor = page.next_cursor;
      const added = add(page.threads);
      // The button may disappear; keep keyboard users where the new items begin.
      if (added.length) added[0].querySelector('a').focus();
      return !!cursor;
    }));
  }

  const crumbs = [{ label: TEXT.objectives, href: '#/' }];
  if (active) {
    crumbs.push({ label: t('objective.breadcrumbObjective', { number: objective.number }), href: objectiveHref(objective) },
      { label: seeded(active.title) });
  } else {
    crumbs.push({ label: t('objective.breadcrumbObjective', { number: objective.number }) });
  }

  append(root,
    breadcrumb(crumbs),
    h('p', { class: 'kicker' }, t('objective.kicker', { number: objective.number })),
    pageHeading(seeded(objective.title)),
    h('p', { class: 'lead', lang: SEEDED_LANG }, objective.summary),
    h('div', { class: 'page-tools' },
      follows.followButton('objective', objective.id, state), feedLink('objective', objective.id),
      h('a', { href: `#/stats?objective=${encodeURIComponent(objective.slug)}`, class: 'stats-link' }, TEXT.statsLink)),
    h('div', { class: 'objective-layout' },
      h('div', { class: 'objective-side' }, keyActionFilter(objective, active)),
      h('div', { class: 'objective-main' }, startThread(objective, active), section)),
    exportTools('objective', objective.id, objective.id));

  advertise('objective', objective.id, feedTitle(objective.title), signal);
  if (active) advertise('key_action', active.id, feedTitle(active.title), signal);

  subscribe({ objective: objective.id }, {
    thread: (d) => {
      const th = d && d.thread;
      if (!th || th.objective_id !== objective.id || shown.has(th.id) || newThreads.has(th.id)) return;
      if (active && th.key_action_id !== active.id) return;
      newThreads.add(th.id);
      newest = th.id;
      bannerText.textContent = t('objective.newThreads', { count: newThreads.size });
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
