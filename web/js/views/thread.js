// A thread: its posts as a reply tree, inline reply forms, and a contribution form at the end.
import { append, h, setSanitisedHtml } from '../dom.js';
import * as api from '../api.js';
import * as session from '../session.js';
import * as data from '../data.js';
import { count, timeEl } from '../format.js';
import { languageName } from '../labels.js';
import { readingOrder } from '../post-tree.js';
import { replyForm } from '../composer.js';
import {
  authorName, badge, breadcrumb, byline, consultationNotice, loadMore, notice, pageHeading, setTitle, threadBadges,
} from '../ui.js';

const PAGE = 50;

// Moderators may still answer officially in locked threads and closed consultations.
function canContribute(thread) {
  if (!session.currentUser()) return false;
  if (session.isModerator()) return true;
  return !thread.locked && (!thread.consultation || thread.consultation.state === 'open');
}

function focusPost(id) {
  const el = document.getElementById(`post-${id}`);
  if (el) {
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: 'start' });
  }
}

function postBody(post) {
  if (post.deleted) return h('p', { class: 'placeholder' }, 'This contribution was deleted by its author.');
  if (post.body_html === null) return h('p', { class: 'placeholder' }, 'This contribution was hidden by a moderator.');
  return setSanitisedHtml(h('div', { class: 'prose', lang: post.language || false }), post.body_html);
}

function postMeta(post) {
  const bits = [h('span', {}, timeEl(post.created_at))];
  if (post.edited_at) bits.push(h('span', {}, 'edited ', timeEl(post.edited_at)));
  if (post.language && !post.deleted && post.body_html !== null) bits.push(h('span', {}, languageName(post.language)));
  return h('p', { class: 'meta meta--quiet' }, bits);
}

function postBadges(post) {
  return [
    post.official && badge('The Commission\u2019s answer', 'official'),
    post.anonymous && badge('Anonymous', 'anonymous'),
    post.hidden && post.body_html !== null && badge('Hidden from the public', 'locked'),
  ].filter(Boolean);
}

export async function render(root, { params }) {
  const first = await api.get(`/threads/${params.id}`, { limit: PAGE });
  let thread = first.thread;
  const objective = await data.objectiveById(thread.objective_id).catch(() => null);
  const posts = new Map();
  const articles = new Map();
  let cursor = first.next_cursor;

  setTitle(thread.title);
  const list = h('div', { class: 'post-tree' });
  const postCount = h('span', {}, count(thread.post_count, 'contribution'));

  function article(post, depth, parent) {
    const name = authorName(post.author, post.anonymous);
    const slot = h('div', { class: 'reply-slot', id: `post-${post.id}-reply` });
    const badges = postBadges(post);
    const el = h('article', {
      class: ['post', `depth-${depth}`, depth > 0 && 'is-reply', post.official && 'is-official'],
      id: `post-${post.id}`, tabindex: '-1', 'aria-label': `Contribution by ${name}`,
    },
    h('header', { class: 'post-head' },
      h('p', { class: 'post-byline' }, byline(post.author, { anonymous: post.anonymous })),
      postMeta(post),
      badges.length ? h('p', { class: 'badges' }, badges) : null,
      parent ? h('p', { class: 'in-reply-to' }, 'In reply to ',
        h('button', { type: 'button', class: 'link-button', on: { click: () => focusPost(parent.id) } },
          authorName(parent.author, parent.anonymous))) : null),
    postBody(post));

    if (canContribute(thread) && !post.deleted && post.body_html !== null) {
      let open = null;
      const button = h('button', {
        type: 'button', class: 'link-button post-reply', 'aria-expanded': 'false', 'aria-controls': slot.id,
      }, 'Reply');
      const close = () => {
        open.el.remove();
        open = null;
        button.setAttribute('aria-expanded', 'false');
      };
      button.addEventListener('click', () => {
        if (!open) {
          open = replyForm({
            thread, parent: post, parentName: name,
            onPosted: (created) => {
              close();
              addPosts([created], true);
              focusPost(created.id);
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
      append(el, h('footer', { class: 'post-foot' }, button), slot);
    }
    return el;
  }

  function rebuild() {
    // Cached articles are moved, not rebuilt, so an open reply form keeps its text.
    list.replaceChildren(...readingOrder(posts.values()).map(({ post, depth, parent }) => {
      if (!articles.has(post.id)) articles.set(post.id, article(post, depth, parent));
      return articles.get(post.id);
    }));
    officialLink.hidden = !(thread.official_post_id && posts.has(thread.official_post_id));
  }

  function addPosts(items, created = false) {
    items.forEach((p) => posts.set(p.id, p));
    if (created) {
      thread = { ...thread, post_count: thread.post_count + items.length };
      postCount.textContent = count(thread.post_count, 'contribution');
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

  const postsSection = h('section', { class: 'contributions', 'aria-labelledby': 'contributions-heading' },
    h('h2', { id: 'contributions-heading' }, 'Contributions'), list);
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
    h('p', { class: 'meta meta--quiet' }, h('span', {}, 'Started ', timeEl(thread.created_at)), postCount),
    thread.consultation ? consultationNotice(thread.consultation) : null,
    thread.locked ? notice('This thread is locked: no further contributions can be added.', 'muted') : null,
    officialLink,
    postsSection,
    bottomComposer());

  addPosts(first.posts);

  function bottomComposer() {
    const section = h('section', { class: 'contribute', 'aria-labelledby': 'contribute-heading' },
      h('h2', { id: 'contribute-heading' }, 'Add your contribution'));
    const state = thread.consultation && thread.consultation.state;
    if (canContribute(thread)) {
      const form = replyForm({
        thread,
        onPosted: (created) => {
          addPosts([created], true);
          focusPost(created.id);
        },
      });
      append(section, form.el);
    } else if (thread.locked || (state && state !== 'open')) {
      let why = 'This thread is locked, so new contributions cannot be added.';
      if (!thread.locked) {
        why = state === 'planned' ? 'This consultation is not open for contributions yet.' : 'This consultation has closed.';
      }
      append(section, notice(why, 'muted'));
    } else {
      append(section, h('p', {},
        h('a', { href: `#/login?next=${encodeURIComponent(`#/t/${thread.id}`)}` }, 'Sign in'), ' or ',
        h('a', { href: '#/register' }, 'register'), ' to contribute to this discussion.'));
    }
    return section;
  }
}
