// A thread: its consultation banner, the moderators' controls, its posts as a reply tree with
// each post's actions (reply, quote, edit, withdraw, flag …), and a contribution form at the end.
// The Commission's official answer is highlighted and shown first among the replies. While the
// page is open, new contributions and changes to the shown ones arrive live (GET /events?thread=)
// and are drawn in place, and a consultation that opens or closes changes what may be written
// without a reload.
import { append, h, setSanitisedHtml, withNodes } from '../dom.js';
import * as api from '../api.js';
import * as session from '../session.js';
import * as data from '../data.js';
import { brusselsTimeEl, timeEl } from '../format.js';
import { languageName } from '../labels.js';
import { MAX_DEPTH, readingOrder } from '../post-tree.js';
import { quoteMarkdown, replyForm } from '../composer.js';
import { consultationBanner, currentConsultation } from '../consultation.js';
import { postControls } from '../post-actions.js';
import { threadAdmin } from '../thread-admin.js';
import { exportTools, manifestSection } from '../exports.js';
import * as follows from '../follows.js';
import { advertise, feedLink, feedTitle } from '../feeds.js';
import { subscribe } from '../live.js';
import * as notify from '../notify.js';
import { t } from '../i18n.js';
import { uid } from '../forms.js';
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
  if (post.deleted) return h('p', { class: 'placeholder' }, t('thread.withdrawn'));
  if (post.body_html === null) return h('p', { class: 'placeholder' }, t('thread.hiddenByModerator'));
  const prose = setSanitisedHtml(h('div', { class: 'prose', lang: post.language || false }), post.body_html);
  if (!post.hidden) return prose;
  // Moderators still read hidden posts; make it impossible to mistake one for a public post.
  return h('div', { class: 'hidden-body' },
    h('p', { class: 'hidden-body-label' }, t('thread.hiddenLabel')),
    prose);
}

function postMeta(post, revisionsButton) {
  const bits = [h('span', {}, timeEl(post.created_at))];
  if (post.edited_at) {
    const date = timeEl(post.edited_at);
    bits.push(h('span', { class: 'edited' },
      withNodes(post.edited_by_moderator ? t('thread.editedByModerator') : t('thread.edited'), { date }),
      revisionsButton ? [' (', revisionsButton, ')'] : null));
  }
  if (post.language && !post.deleted && post.body_html !== null) bits.push(h('span', {}, languageName(post.language)));
  return h('p', { class: 'meta meta--quiet' }, bits);
}

function postBadges(post, isAnswer, isNew) {
  return [
    isNew && badge(t('thread.badge.new'), 'new'),
    post.official && !isAnswer && badge(t('thread.badge.official'), 'official'),
    post.anonymous && badge(t('thread.badge.anonymous'), 'anonymous'),
    post.hidden && post.body_html !== null && badge(t('thread.badge.hidden'), 'locked'),
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
  if (session.suspension()) return notice(t('thread.closed.suspended'), 'muted');
  if (thread.locked) return notice(t('thread.closed.locked'), 'muted');
  if (c && c.state === 'planned') return notice(t('thread.closed.planned'), 'muted');
  if (c && c.state === 'closed') {
    return notice(withNodes(t('thread.closed.consultation'), { date: brusselsTimeEl(c.closes_at) }), 'muted');
  }
  return null;
}

// The text of the post's own rendered prose that the reader has selected, if any.
function selectedIn(article) {
  const sel = window.getSelection ? window.getSelection() : null;
  const prose = article ? article.querySelector('.prose') : null;
  if (!sel || !prose || sel.isCollapsed || !sel.rangeCount) return '';
  if (!prose.contains(sel.anchorNode) || !prose.contains(sel.focusNode)) return '';
  return sel.toString().trim();
}

export async function render(root, { params, query, signal, refresh }) {
  const followState = follows.loadQuietly();
  const first = await api.get(`/threads/${params.id}`, { limit: PAGE });
  const thread = { ...first.thread, consultation: currentConsultation(first.thread.consultation) };
  const objectives = await data.objectives().catch(() => []);
  const objective = objectives.find((o) => o.id === thread.objective_id) || null;
  const wanted = Number(query.get('post')) || null;
  const staff = session.canWrite() && session.moderates(thread.objective_id);
  let mode = replyMode(thread);

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
  // Reply forms open under posts: post id -> { form, name }.
  const openReplies = new Map();
  setTitle(thread.title);
  const list = h('div', { class: 'post-tree' });
  let postCount = thread.post_count;
  const postCountEl = h('span', {}, t('thread.contributionCount', { count: postCount }));

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
      refresh({ focusId: `post-${created.id}`, message: t('thread.answerPublished') });
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

  // "Reply" opens a form under the post; "Quote" opens the same form with the post's text (or the
  // part of it the reader has selected) quoted, the cursor after the quotation.
  function replyControls(post, name, slot) {
    if (!mode || post.deleted || post.body_html === null || post.hidden) return [];
    let open = null;
    const button = h('button', {
      type: 'button', class: 'link-button action post-reply', 'aria-expanded': 'false', 'aria-controls': slot.id,
    }, t('thread.reply'));
    const close = () => {
      open.el.remove();
      open = null;
      openReplies.delete(post.id);
      button.setAttribute('aria-expanded', 'false');
    };
    const ensureOpen = () => {
      if (!open) {
        open = replyForm({
          thread, parent: post, parentName: name, official: mode,
          onPosted: (created) => {
            close();
            posted(created, t('thread.replyPublished'));
          },
          onCancel: () => {
            if (open.hasText() && !window.confirm(t('thread.discardReply'))) return;
            close();
            button.focus();
          },
          onRefused: refused,
        });
        openReplies.set(post.id, { form: open, name });
        append(slot, open.el);
        button.setAttribute('aria-expanded', 'true');
      }
      return open;
    };
    button.addEventListener('click', () => ensureOpen().focus());
    const actions = [button];
    if (typeof post.body === 'string' && post.body !== '') {
      const quote = h('button', {
        type: 'button', class: 'link-button action post-quote', 'aria-controls': slot.id,
      }, t('thread.quote'));
      // Pressing the button may clear the selection in some browsers: note it first.
      let noted = '';
      quote.addEventListener('pointerdown', () => { noted = selectedIn(articles.get(post.id)); });
      quote.addEventListener('click', () => {
        const selection = selectedIn(articles.get(post.id)) || noted;
        noted = '';
        ensureOpen().insert(quoteMarkdown(name, selection || post.body));
      });
      actions.push(quote);
    }
    return actions;
  }

  function article(post, parent) {
    const isAnswer = post.id === thread.official_post_id;
    const name = authorName(post.author, post.anonymous);
    const slot = h('div', { class: 'reply-slot', id: `post-${post.id}-reply` });
    const controls = postControls(post, { thread, onChange: changed });
    const badges = postBadges(post, isAnswer, freshIds.has(post.id));
    const actions = [...replyControls(post, name, slot), ...controls.actions].filter(Boolean);
    return h('article', {
      class: ['post', post.official && 'is-official', isAnswer && 'is-answer', post.hidden && post.body_html !== null && 'is-hidden'],
      id: `post-${post.id}`, tabindex: '-1',
      'aria-label': isAnswer ? t('thread.answerBy', { name }) : t('thread.contributionBy', { name }),
    },
    h('header', { class: 'post-head' },
      isAnswer ? h('p', { class: 'answer-label' }, t('thread.answerLabel')) : null,
      h('p', { class: 'post-byline' },
        byline(post.author, { anonymous: post.anonymous, nameNode: controls.nameNode })),
      postMeta(post, controls.revisionsButton),
      badges.length ? h('p', { class: 'badges' }, badges) : null,
      parent ? h('p', { class: 'in-reply-to' }, withNodes(t('thread.inReplyTo'), {
        name: h('button', { type: 'button', class: 'link-button', on: { click: () => focusPost(parent.id) } },
          authorName(parent.author, parent.anonymous)),
      })) : null),
    postBody(post),
    actions.length ? h('footer', { class: 'post-foot' }, h('div', { class: 'post-actions' }, actions)) : null,
    controls.slot,
    slot);
  }

  function rebuild() {
    // Cached articles are reused, not rebuilt, so an open reply form keeps its text.
    const order = withAnswerFirst(readingOrder(posts.values()), thread.official_post_id);
    const inOrder = order.map(({ post, depth, parent }) => {
      if (!articles.has(post.id)) {
        openReplies.delete(post.id); // a form under the old drawing of the post is gone with it
        articles.set(post.id, article(post, parent));
      }
      const el = articles.get(post.id);
      setDepth(el, depth);
      return el;
    });
    // Only what changed is removed, inserted or moved: moving an element takes keyboard focus out
    // of it, and a live post arriving must not interrupt a reply being written.
    const keep = new Set(inOrder);
    [...list.children].forEach((el) => { if (!keep.has(el)) el.remove(); });
    inOrder.forEach((el, i) => {
      const at = list.children[i] || null;
      if (at !== el) list.insertBefore(el, at);
    });
    officialLink.hidden = !(thread.official_post_id && posts.has(thread.official_post_id));
  }

  function addPosts(items, created = false) {
    items.forEach((p) => posts.set(p.id, p));
    if (created) {
      postCount += items.length;
      postCountEl.textContent = t('thread.contributionCount', { count: postCount });
    }
    rebuild();
  }

  const officialLink = h('p', { class: 'actions', hidden: true },
    h('button', { type: 'button', class: 'button button--secondary', on: { click: () => focusPost(thread.official_post_id) } },
      t('thread.readAnswer')));

  const objectiveHref = objective ? `#/o/${encodeURIComponent(objective.slug)}` : '#/';
  const kaTitle = data.keyActionTitle(objective, thread.key_action_id);
  const kaSlug = objective && thread.key_action_id
    ? (objective.key_actions.find((k) => k.id === thread.key_action_id) || {}).slug : null;
  const badgeLine = () => {
    const badges = threadBadges(thread);
    return h('p', { class: 'badges', hidden: !badges.length }, badges);
  };

  // Announces live contributions politely; focus stays where the reader is.
  const liveStatus = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  const liveBanner = h('div', { class: 'live-banner-slot' });
  const postsSection = h('section', { class: 'contributions', 'aria-labelledby': 'contributions-heading' },
    h('h2', { id: 'contributions-heading' }, t('thread.contributionsHeading')), liveStatus, liveBanner, list);
  if (cursor) {
    append(postsSection, loadMore(t('thread.showMore'), async () => {
      const page = await api.get(`/threads/${thread.id}`, { limit: PAGE, cursor });
      cursor = page.next_cursor;
      // Posts that arrived live meanwhile are on the page already: never twice.
      const fresh = page.posts.filter((p) => !posts.has(p.id));
      addPosts(fresh);
      // Focus the first of them in reading order (a reply may go under an earlier post).
      const freshEls = new Set(fresh.map((p) => articles.get(p.id)));
      const firstNew = [...list.children].find((el) => freshEls.has(el));
      if (firstNew) {
        firstNew.focus({ preventScroll: true });
        firstNew.scrollIntoView({ block: 'start' });
      }
      announce(cursor
        ? t('thread.loadedMore', { count: fresh.length })
        : t('thread.loadedAll', { count: fresh.length }));
      return !!cursor;
    }));
  }

  // The countdown reached its moment: what may be written changes now, without a reload.
  const onConsultationChange = () => {
    const opened = thread.consultation.state === 'planned';
    stateChanged(opened ? t('thread.consultationOpened') : t('thread.consultationClosed'));
  };

  let bannerEl = thread.consultation
    ? consultationBanner(thread.consultation, { signal, onChange: onConsultationChange }) : null;
  let badgesEl = badgeLine();
  let composerSection = null;
  let bottomForm = null;

  append(root,
    breadcrumb([
      { label: t('thread.crumbObjectives'), href: '#/' },
      objective ? { label: t('thread.crumbObjective', { number: objective.number, title: objective.title }), href: objectiveHref } : null,
      { label: thread.title },
    ].filter(Boolean)),
    kaTitle
      ? h('p', { class: 'context' }, withNodes(t('thread.keyAction'), {
        link: h('a', { href: `${objectiveHref}?ka=${encodeURIComponent(kaSlug)}` }, kaTitle),
      }))
      : null,
    pageHeading(thread.title),
    badgesEl,
    h('p', { class: 'meta' }, byline(thread.author, { anonymous: thread.anonymous })),
    h('p', { class: 'meta meta--quiet' },
      h('span', {}, withNodes(t('thread.started'), { date: timeEl(thread.created_at) })), postCountEl),
    h('div', { class: 'page-tools' },
      follows.followButton('thread', thread.id, await followState),
      feedLink('thread', thread.id)),
    bannerEl,
    manifestSection(thread),
    thread.locked ? notice(t('thread.lockedNotice'), 'muted') : null,
    staff ? threadAdmin(thread, { objectives, refresh }) : null,
    exportTools('thread', thread.id, thread.objective_id),
    officialLink,
    postsSection,
    composerSection = bottomComposer());

  addPosts(loaded);
  advertise('thread', thread.id, feedTitle(thread.title), signal);

  // ---- The consultation opening or closing, the thread being locked, while the page is open ----

  // Text written in reply forms that are about to go: kept to be copied, or carried over.
  function drafts() {
    const out = [];
    openReplies.forEach(({ form, name }) => {
      if (form.hasText()) out.push({ label: t('thread.drafts.replyLabel', { name }), text: form.text() });
    });
    return out;
  }

  function keptDrafts(items) {
    if (!items.length) return null;
    return h('div', { class: 'kept-drafts' },
      h('h3', { class: 'kept-drafts-title' }, t('thread.drafts.heading')),
      h('p', { class: 'hint' }, t('thread.drafts.hint')),
      items.map(({ label, text }) => {
        const id = uid('kept-draft');
        return h('div', { class: 'field' },
          h('label', { for: id }, label),
          h('textarea', { id, rows: 5, readonly: true, value: text }));
      }));
  }

  // fromForm: the change was learnt by sending a form (its button may have lost focus meanwhile).
  function stateChanged(message, { fromForm = false } = {}) {
    const focusWas = document.activeElement;
    const postWas = [...articles.entries()].find(([, el]) => el.contains(focusWas));
    const inComposer = fromForm || composerSection.contains(focusWas);
    thread.consultation = currentConsultation(thread.consultation);
    mode = replyMode(thread);

    if (bannerEl && thread.consultation) {
      const next = consultationBanner(thread.consultation, { signal, onChange: onConsultationChange });
      bannerEl.replaceWith(next);
      bannerEl = next;
    }
    const nextBadges = badgeLine();
    badgesEl.replaceWith(nextBadges);
    badgesEl = nextBadges;

    // Reply buttons and what each post allows depend on the state: draw the posts again.
    const kept = drafts();
    const bottomText = bottomForm && bottomForm.hasText() ? bottomForm.text() : '';
    openReplies.clear();
    articles.clear();
    heldChanges.forEach((post, id) => posts.set(id, post));
    heldChanges.clear();
    rebuild();

    const nextSection = bottomComposer();
    if (bottomText && bottomForm) bottomForm.setText(bottomText);
    else if (bottomText) kept.unshift({ label: t('thread.drafts.contributionLabel'), text: bottomText });
    if (kept.length) append(nextSection, keptDrafts(kept));
    composerSection.replaceWith(nextSection);
    composerSection = nextSection;

    // Focus stays where it was; if that place is gone, it goes to the same post or the form's heading.
    if (!focusWas || !focusWas.isConnected || (fromForm && !postWas)) {
      const again = postWas && articles.get(postWas[0]);
      if (again && !inComposer) again.focus({ preventScroll: true });
      else if (inComposer || postWas) composerSection.querySelector('h2').focus({ preventScroll: true });
    }
    if (message) announce(message);
  }

  // The server refused a contribution: the consultation closed or the thread was locked meanwhile.
  function refused(err) {
    if (err.code === 'thread_locked') thread.locked = true;
    if (err.code === 'consultation_closed' && thread.consultation) {
      thread.consultation = { ...thread.consultation, state: 'closed' };
    }
    const before = mode;
    if (replyMode(thread) === before) return; // nothing for this person changes (staff): the error says it
    stateChanged(err.code === 'thread_locked' ? t('thread.lockedMeanwhile') : t('thread.consultationClosed'),
      { fromForm: true });
  }

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
    say(t('thread.live.arrived', { count: items.length }));
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
        const show = h('button', { type: 'button', class: 'link-button' }, t('thread.live.showChanged'));
        show.addEventListener('click', () => {
          posts.set(old.id, heldChanges.get(old.id));
          heldChanges.delete(old.id);
          articles.delete(old.id);
          openReplies.delete(old.id);
          rebuild();
          focusPost(old.id);
        });
        el.querySelector('.post-head').append(h('p', { class: 'live-changed' }, `${t('thread.live.changedHere')} `, show));
      }
      heldChanges.set(old.id, merged);
      say(t('thread.live.changed'));
      return;
    }
    heldChanges.delete(old.id);
    posts.set(old.id, merged);
    redraw(old.id);
    say(t('thread.live.changed'));
  }

  function liveReset() {
    // A reload would throw away what someone is writing: then they choose when.
    const writing = [...root.querySelectorAll('textarea:not([readonly])')].some((el) => el.value.trim() !== '');
    if (!writing) {
      refresh({ message: t('thread.live.reloaded') });
      return;
    }
    if (liveBanner.firstChild) return;
    const button = h('button', { type: 'button', class: 'button button--secondary button--small' }, t('thread.live.reload'));
    button.addEventListener('click', () => refresh({ message: t('thread.live.reloaded') }));
    liveBanner.append(h('div', { class: 'notice notice--muted live-banner' },
      h('p', {}, `${t('thread.live.outOfDate')} `), button));
    say(t('thread.live.outOfDate'));
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
    bottomForm = null;
    const why = mode ? null : closedComposerNotice(thread);
    let heading = t('thread.compose.heading');
    if (mode === 'only') heading = t('thread.compose.officialHeading');
    else if (why) heading = t('thread.compose.closedHeading');
    const section = h('section', { class: 'contribute', 'aria-labelledby': 'contribute-heading' },
      h('h2', { id: 'contribute-heading', tabindex: '-1' }, heading));
    if (mode) {
      if (mode === 'only') {
        append(section, closedComposerNotice(thread), h('p', {}, t('thread.compose.staffOnly')));
      }
      bottomForm = replyForm({
        thread,
        official: mode,
        onPosted: (created) => posted(created, t('thread.contributionPublished')),
        onRefused: refused,
      });
      append(section, bottomForm.el);
      return section;
    }
    if (why) {
      append(section, why);
    } else {
      append(section, h('p', {}, withNodes(t('thread.compose.signIn'), {
        signIn: h('a', { href: `#/login?next=${encodeURIComponent(`#/t/${thread.id}`)}` }, t('thread.compose.signInLink')),
        register: h('a', { href: '#/register' }, t('thread.compose.registerLink')),
      })));
    }
    return section;
  }

  const target = wanted ? articles.get(wanted) : null;
  return { focus: target || null };
}
