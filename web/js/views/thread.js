// A thread: its consultation banner, the moderators' controls, its posts as a reply tree with
// each post's actions, and a contribution form at the end. The Commission's official answer is
// highlighted and shown first among the replies. While the page is open, new contributions and
// changes to the shown ones arrive live (GET /events?thread=) and are drawn in place.
import { append, h, setSanitisedHtml } from '../dom.js';
import * as api from '../api.js';
import * as session from '../session.js';
import * as data from '../data.js';
import { brusselsTimeEl, count, timeEl } from '../format.js';
import { languageName } from '../labels.js';
import { MAX_DEPTH, readingOrder } from '../post-tree.js';
import { replyForm } from '../composer.js';
import { consultationBanner, currentConsultation } from '../consultation.js';
import { postControls } from '../post-actions.js';
import { threadAdmin } from '../thread-admin.js';
import { exportTools, manifestSection } from '../exports.js';
import * as follows from '../follows.js';
import { advertise, feedLink } from '../feeds.js';
import { subscribe } from '../live.js';
import * as notify from '../notify.js';
import {
  announce, authorName, badge, breadcrumb, byline, loadMore, notice, pageHeading, setTitle, threadBadges,
} from '../ui.js';

const PAGE = 50;
// Pages fetched up front to reach the official answer or a post linked to directly.
const MAX_EXTRA_PAGES = 20;
// Live contributions arriving within this time are announced together.
const LIVE_BATCH_MS = 1000;
// What a live post_changed may change; anything else in the event is taken as it is.
const LIVE_FIELDS = ['body', 'body_html', 'hidden', 'deleted', 'edited_at', 'edited_by_moderator', 'official'];

const LIVE_TEXT = {
  arrived: (n) => count(n, 'new contribution'),
  changed: 'A contribution was changed.',
  changedHere: 'This contribution has changed since you opened the page.',
  showChanged: 'Show the current version',
  newBadge: 'New',
  feedTitle: (title) => `Atom feed: ${title}`,
  outOfDate: 'Contributions may have been added or changed while this page was not connected.',
  reload: 'Bring the page up to date',
  reloaded: 'The page is up to date.',
};

// How this person may reply: null (not at all), 'none' (an ordinary contribution), 'optional'
// (staff: may tick "official answer"), 'only' (staff where only an official answer is accepted).
function replyMode(thread) {
  if (!session.canWrite()) return null;
  const state = thread.consultation ? thread.consultation.state : null;
  const shut = thread.locked || (state !== null && state !== 'open');
  if (session.moderates(thread.objective_id)) return shut ? 'only' : 'optional';
  return shut ? null : 'none';
}

function focusPost(id) {
  const el = document.getElementById(`post-${id}`);
  if (el) {
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: 'start' });
  }
}

function postBody(post) {
  if (post.deleted) return h('p', { class: 'placeholder' }, 'This contribution was withdrawn by its author.');
  if (post.body_html === null) return h('p', { class: 'placeholder' }, 'Hidden by a moderator.');
  const prose = setSanitisedHtml(h('div', { class: 'prose', lang: post.language || false }), post.body_html);
  if (!post.hidden) return prose;
  // Moderators still read hidden posts; make it impossible to mistake one for a public post.
  return h('div', { class: 'hidden-body' },
    h('p', { class: 'hidden-body-label' }, 'Hidden by a moderator: only moderators can read this text.'),
    prose);
}

function postMeta(post, revisionsButton) {
  const bits = [h('span', {}, timeEl(post.created_at))];
  if (post.edited_at) {
    bits.push(h('span', { class: 'edited' },
      post.edited_by_moderator ? 'edited by a moderator ' : 'edited ', timeEl(post.edited_at),
      revisionsButton ? [' (', revisionsButton, ')'] : null));
  }
  if (post.language && !post.deleted && post.body_html !== null) bits.push(h('span', {}, languageName(post.language)));
  return h('p', { class: 'meta meta--quiet' }, bits);
}

function postBadges(post, isAnswer, isNew) {
  return [
    isNew && badge(LIVE_TEXT.newBadge, 'new'),
    post.official && !isAnswer && badge('Official answer of the Commission', 'official'),
    post.anonymous && badge('Anonymous', 'anonymous'),
    post.hidden && post.body_html !== null && badge('Hidden from the public', 'locked'),
  ].filter(Boolean);
}

function setDepth(el, depth) {
  [...el.classList].filter((c) => /^depth-\d+$/.test(c)).forEach((c) => el.classList.remove(c));
  el.classList.add(`depth-${depth}`);
  el.classList.toggle('is-reply', depth > 0);
}

// Reading order with the official answer (and the replies to it) moved up to follow the opening
// post, so it is the first reply one reads.
function withAnswerFirst(order, answerId) {
  const at = order.findIndex((e) => e.post.id === answerId);
  if (at <= 0) return order;
  const inBlock = new Set([answerId]);
  let end = at + 1;
  while (end < order.length && order[end].parent && inBlock.has(order[end].parent.id)) {
    inBlock.add(order[end].post.id);
    end += 1;
  }
  const depthOf = new Map();
  const block = order.slice(at, end).map((e, i) => {
    const depth = i === 0 ? 0 : Math.min(depthOf.get(e.parent.id) + 1, MAX_DEPTH);
    depthOf.set(e.post.id, depth);
    return { ...e, depth };
  });
  return [order[0], ...block, ...order.slice(1, at), ...order.slice(end)];
}

function closedComposerNotice(thread) {
  const c = thread.consultation;
  if (session.suspension()) return notice('Your account is suspended, so you cannot contribute for now.', 'muted');
  if (thread.locked) return notice('This thread is locked, so new contributions cannot be added.', 'muted');
  if (c && c.state === 'planned') return notice('This consultation is not open for contributions yet.', 'muted');
  if (c && c.state === 'closed') {
    return notice(['This consultation closed on ', brusselsTimeEl(c.closes_at),
      '. No further contributions can be added.'], 'muted');
  }
  return null;
}

export async function render(root, { params, query, signal, refresh }) {
  const followState = follows.loadQuietly();
  const first = await api.get(`/threads/${params.id}`, { limit: PAGE });
  const thread = { ...first.thread, consultation: currentConsultation(first.thread.consultation) };
  const objectives = await data.objectives().catch(() => []);
  const objective = objectives.find((o) => o.id === thread.objective_id) || null;
  const wanted = Number(query.get('post')) || null;
  const staff = session.canWrite() && session.moderates(thread.objective_id);
  const mode = replyMode(thread);

  // Reach the official answer (shown first) and a post linked to directly, if not on page one.
  const loaded = [...first.posts];
  let cursor = first.next_cursor;
  const missing = (id) => id && !loaded.some((p) => p.id === id);
  for (let n = 0; cursor && n < MAX_EXTRA_PAGES && (missing(thread.official_post_id) || missing(wanted)); n += 1) {
    const page = await api.get(`/threads/${thread.id}`, { limit: PAGE, cursor });
    loaded.push(...page.posts);
    cursor = page.next_cursor;
  }

  const posts = new Map();
  const articles = new Map();
  // Posts that arrived live while the page was open: marked "New".
  const freshIds = new Set();
  setTitle(thread.title);
  const list = h('div', { class: 'post-tree' });
  let postCount = thread.post_count;
  const postCountEl = h('span', {}, count(postCount, 'contribution'));

  function changed(updated, message) {
    posts.set(updated.id, updated);
    articles.delete(updated.id);
    rebuild();
    focusPost(updated.id);
    if (message) announce(message);
  }

  function posted(created, message) {
    // An official answer changes the thread (it becomes the answer shown first): redraw it.
    if (created.official) {
      refresh({ focusId: `post-${created.id}`, message: 'The Commission\u2019s answer is published.' });
      return;
    }
    // The live stream may bring one's own post too, before or after this answer.
    pendingLive = pendingLive.filter((p) => p.id !== created.id);
    const known = posts.has(created.id);
    if (known) {
      freshIds.delete(created.id);
      articles.delete(created.id);
    }
    addPosts([created], !known);
    focusPost(created.id);
    announce(message);
  }

  function replyControls(post, name, slot) {
    if (!mode || post.deleted || post.body_html === null || post.hidden) return null;
    let open = null;
    const button = h('button', {
      type: 'button', class: 'link-button action post-reply', 'aria-expanded': 'false', 'aria-controls': slot.id,
    }, 'Reply');
    const close = () => {
      open.el.remove();
      open = null;
      button.setAttribute('aria-expanded', 'false');
    };
    button.addEventListener('click', () => {
      if (!open) {
        open = replyForm({
          thread, parent: post, parentName: name, official: mode,
          onPosted: (created) => {
            close();
            posted(created, 'Your reply is published.');
          },
          onCancel: () => {
            if (open.hasText() && !window.confirm('Discard the reply you have written?')) return;
            close();
            button.focus();
          },
        });
        append(slot, open.el);
        button.setAttribute('aria-expanded', 'true');
      }
      open.focus();
    });
    return button;
  }

  function article(post, parent) {
    const isAnswer = post.id === thread.official_post_id;
    const name = authorName(post.author, post.anonymous);
    const slot = h('div', { class: 'reply-slot', id: `post-${post.id}-reply` });
    const controls = postControls(post, { thread, onChange: changed });
    const badges = postBadges(post, isAnswer, freshIds.has(post.id));
    const reply = replyControls(post, name, slot);
    const actions = [reply, ...controls.actions].filter(Boolean);
    return h('article', {
      class: ['post', post.official && 'is-official', isAnswer && 'is-answer', post.hidden && post.body_html !== null && 'is-hidden'],
      id: `post-${post.id}`, tabindex: '-1',
      'aria-label': isAnswer ? `The Commission\u2019s answer, by ${name}` : `Contribution by ${name}`,
    },
    h('header', { class: 'post-head' },
      isAnswer ? h('p', { class: 'answer-label' }, 'The Commission\u2019s answer') : null,
      h('p', { class: 'post-byline' },
        byline(post.author, { anonymous: post.anonymous, nameNode: controls.nameNode })),
      postMeta(post, controls.revisionsButton),
      badges.length ? h('p', { class: 'badges' }, badges) : null,
      parent ? h('p', { class: 'in-reply-to' }, 'In reply to ',
        h('button', { type: 'button', class: 'link-button', on: { click: () => focusPost(parent.id) } },
          authorName(parent.author, parent.anonymous))) : null),
    postBody(post),
    actions.length ? h('footer', { class: 'post-foot' }, h('div', { class: 'post-actions' }, actions)) : null,
    controls.slot,
    slot);
  }

  function rebuild() {
    // Cached articles are reused, not rebuilt, so an open reply form keeps its text.
    const order = withAnswerFirst(readingOrder(posts.values()), thread.official_post_id);
    const wanted = order.map(({ post, depth, parent }) => {
      if (!articles.has(post.id)) articles.set(post.id, article(post, parent));
      const el = articles.get(post.id);
      setDepth(el, depth);
      return el;
    });
    // Only what changed is removed, inserted or moved: moving an element takes keyboard focus out
    // of it, and a live post arriving must not interrupt a reply being written.
    const keep = new Set(wanted);
    [...list.children].forEach((el) => { if (!keep.has(el)) el.remove(); });
    wanted.forEach((el, i) => {
      const at = list.children[i] || null;
      if (at !== el) list.insertBefore(el, at);
    });
    officialLink.hidden = !(thread.official_post_id && posts.has(thread.official_post_id));
  }

  function addPosts(items, created = false) {
    items.forEach((p) => posts.set(p.id, p));
    if (created) {
      postCount += items.length;
      postCountEl.textContent = count(postCount, 'contribution');
    }
    rebuild();
  }

  const officialLink = h('p', { class: 'actions', hidden: true },
    h('button', { type: 'button', class: 'button button--secondary', on: { click: () => focusPost(thread.official_post_id) } },
      'Read the Commission\u2019s answer'));

  const objectiveHref = objective ? `#/o/${encodeURIComponent(objective.slug)}` : '#/';
  const kaTitle = data.keyActionTitle(objective, thread.key_action_id);
  const kaSlug = objective && thread.key_action_id
    ? (objective.key_actions.find((k) => k.id === thread.key_action_id) || {}).slug : null;
  const badges = threadBadges(thread);

  // Announces live contributions politely; focus stays where the reader is.
  const liveStatus = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  const liveBanner = h('div', { class: 'live-banner-slot' });
  const postsSection = h('section', { class: 'contributions', 'aria-labelledby': 'contributions-heading' },
    h('h2', { id: 'contributions-heading' }, 'Contributions'), liveStatus, liveBanner, list);
  if (cursor) {
    append(postsSection, loadMore('Load more contributions', async () => {
      const page = await api.get(`/threads/${thread.id}`, { limit: PAGE, cursor });
      cursor = page.next_cursor;
      const fresh = page.posts.filter((p) => !posts.has(p.id));
      addPosts(fresh);
      if (fresh.length) focusPost(fresh[0].id);
      return !!cursor;
    }));
  }

  // The countdown reached its moment: redraw from the server a second later, when it agrees.
  const onConsultationChange = () => {
    const next = thread.consultation.state === 'planned' ? 'The consultation is now open.' : 'The consultation has closed.';
    const timer = window.setTimeout(() => refresh({ message: next }), 1000);
    signal.addEventListener('abort', () => window.clearTimeout(timer), { once: true });
  };

  append(root,
    breadcrumb([
      { label: 'Objectives', href: '#/' },
      objective ? { label: `Objective ${objective.number}: ${objective.title}`, href: objectiveHref } : null,
      { label: thread.title },
    ].filter(Boolean)),
    kaTitle
      ? h('p', { class: 'context' }, 'Key action: ',
        h('a', { href: `${objectiveHref}?ka=${encodeURIComponent(kaSlug)}` }, kaTitle))
      : null,
    pageHeading(thread.title),
    badges.length ? h('p', { class: 'badges' }, badges) : null,
    h('p', { class: 'meta' }, byline(thread.author, { anonymous: thread.anonymous })),
    h('p', { class: 'meta meta--quiet' }, h('span', {}, 'Started ', timeEl(thread.created_at)), postCountEl),
    h('div', { class: 'page-tools' },
      follows.followButton('thread', thread.id, await followState),
      feedLink('thread', thread.id)),
    thread.consultation ? consultationBanner(thread.consultation, { signal, onChange: onConsultationChange }) : null,
    manifestSection(thread),
    thread.locked ? notice('This thread is locked: no further contributions can be added.', 'muted') : null,
    staff ? threadAdmin(thread, { objectives, refresh }) : null,
    exportTools('thread', thread.id, thread.objective_id),
    officialLink,
    postsSection,
    bottomComposer());

  addPosts(loaded);
  advertise('thread', thread.id, LIVE_TEXT.feedTitle(thread.title), signal);

  // ---- Live updates ----
  let pendingLive = [];
  // Changes not drawn yet because a form is open in the post: id -> the post as it is now.
  const heldChanges = new Map();
  let liveTimer = null;
  let sayTimer = null;
  signal.addEventListener('abort', () => {
    window.clearTimeout(liveTimer);
    window.clearTimeout(sayTimer);
  }, { once: true });

  function say(message) {
    liveStatus.textContent = '';
    window.clearTimeout(sayTimer);
    // A fresh text node a moment later is announced even when the same message repeats.
    sayTimer = window.setTimeout(() => { liveStatus.textContent = message; }, 50);
  }

  function flushLive() {
    liveTimer = null;
    const seen = new Set();
    const items = pendingLive.filter((p) => !posts.has(p.id) && !seen.has(p.id) && seen.add(p.id));
    pendingLive = [];
    if (!items.length) return;
    items.forEach((p) => {
      freshIds.add(p.id);
      if (p.official && !thread.official_post_id) thread.official_post_id = p.id;
    });
    addPosts(items, true);
    say(LIVE_TEXT.arrived(items.length));
  }

  // The stream sends what the public sees. Keep what this reader was shown beyond that: the
  // author of their own anonymous post, and for moderators the text of a hidden post.
  function mergeLive(old, incoming) {
    const merged = { ...old, ...incoming };
    if (old.author && old.author.id !== null && old.author.id !== undefined
      && incoming.author && (incoming.author.id === null || incoming.author.id === undefined)) {
      merged.author = old.author;
    }
    if (session.moderates(thread.objective_id) && incoming.hidden && !incoming.deleted
      && incoming.body_html === null && old.body_html !== null) {
      merged.body = old.body;
      merged.body_html = old.body_html;
    }
    return merged;
  }

  function redraw(id) {
    const before = articles.get(id);
    const hadFocus = !!before && before.contains(document.activeElement);
    articles.delete(id);
    rebuild();
    if (hadFocus) articles.get(id).focus({ preventScroll: true });
  }

  function liveChanged(incoming) {
    const old = posts.get(incoming.id);
    if (!old) return; // Not on the page (an older page not loaded): nothing to redraw.
    const merged = mergeLive(old, incoming);
    if (LIVE_FIELDS.every((k) => (old[k] ?? null) === (merged[k] ?? null))) return;
    const el = articles.get(old.id);
    // Someone writing a reply or an edit in this post keeps their form; they choose when to redraw.
    if (el && el.querySelector('form')) {
      if (!heldChanges.has(old.id)) {
        const show = h('button', { type: 'button', class: 'link-button' }, LIVE_TEXT.showChanged);
        show.addEventListener('click', () => {
          posts.set(old.id, heldChanges.get(old.id));
          heldChanges.delete(old.id);
          articles.delete(old.id);
          rebuild();
          focusPost(old.id);
        });
        el.querySelector('.post-head').append(h('p', { class: 'live-changed' }, `${LIVE_TEXT.changedHere} `, show));
      }
      heldChanges.set(old.id, merged);
      say(LIVE_TEXT.changed);
      return;
    }
    heldChanges.delete(old.id);
    posts.set(old.id, merged);
    redraw(old.id);
    say(LIVE_TEXT.changed);
  }

  function liveReset() {
    // A reload would throw away what someone is writing: then they choose when.
    const writing = [...root.querySelectorAll('textarea')].some((t) => t.value.trim() !== '');
    if (!writing) {
      refresh({ message: LIVE_TEXT.reloaded });
      return;
    }
    if (liveBanner.firstChild) return;
    const button = h('button', { type: 'button', class: 'button button--secondary button--small' }, LIVE_TEXT.reload);
    button.addEventListener('click', () => refresh({ message: LIVE_TEXT.reloaded }));
    liveBanner.append(h('div', { class: 'notice notice--muted live-banner' },
      h('p', {}, `${LIVE_TEXT.outOfDate} `), button));
    say(LIVE_TEXT.outOfDate);
  }

  subscribe({ thread: thread.id }, {
    post: (d) => {
      if (!d || !d.post || d.post.thread_id !== thread.id) return;
      pendingLive.push(d.post);
      if (liveTimer === null) liveTimer = window.setTimeout(flushLive, LIVE_BATCH_MS);
      notify.refreshSoon();
    },
    post_changed: (d) => {
      if (!d || !d.post || d.post.thread_id !== thread.id) return;
      liveChanged(d.post);
      notify.refreshSoon();
    },
    reset: liveReset,
  }, signal);

  function bottomComposer() {
    const why = mode ? null : closedComposerNotice(thread);
    let heading = 'Add your contribution';
    if (mode === 'only') heading = 'Publish the Commission\u2019s official answer';
    else if (why) heading = 'Contributing';
    const section = h('section', { class: 'contribute', 'aria-labelledby': 'contribute-heading' },
      h('h2', { id: 'contribute-heading' }, heading));
    if (mode) {
      if (mode === 'only') {
        append(section, closedComposerNotice(thread),
          h('p', {}, 'As a moderator you can still publish the Commission\u2019s official answer here.'));
      }
      const form = replyForm({
        thread,
        official: mode,
        onPosted: (created) => posted(created, 'Your contribution is published.'),
      });
      append(section, form.el);
      return section;
    }
    if (why) {
      append(section, why);
    } else {
      append(section, h('p', {},
        h('a', { href: `#/login?next=${encodeURIComponent(`#/t/${thread.id}`)}` }, 'Sign in'), ' or ',
        h('a', { href: '#/register' }, 'register'), ' to contribute to this discussion.'));
    }
    return section;
  }

  const target = wanted ? articles.get(wanted) : null;
  return { focus: target || null };
}
