// The flag queue: contributions participants flagged, open or resolved, newest first. Moderators
// dismiss a flag (the post stays or comes back) or hide the post; either decides every open flag
// on that post.
import { append, h, withNodes } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { field, formErrors } from '../forms.js';
import { charLength, timeEl } from '../format.js';
import { flagReasonLabel } from '../labels.js';
import { modTabs, staffGate, tabs } from '../mod-nav.js';
import { announce, authorName, badge, byline, loadMore, notice, pageHeading, setTitle } from '../ui.js';

const PAGE = 20;
const EXCERPT = 280;
const REASON_MAX = 500;

function excerpt(text) {
  const flat = String(text || '').replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length > EXCERPT ? `${chars.slice(0, EXCERPT).join('')}\u2026` : flat;
}

function postSummary(flag) {
  const post = flag.post;
  const link = h('a', { href: `#/t/${flag.thread_id}?post=${flag.post_id}` }, t('modFlags.openInThread'));
  if (!post) {
    return h('div', { class: 'flag-post' },
      h('p', {}, t('modFlags.contribution', { id: String(flag.post_id) }), ' ', link));
  }
  let text;
  if (post.deleted) text = h('p', { class: 'placeholder' }, t('modFlags.withdrawn'));
  else if (typeof post.body !== 'string') text = h('p', { class: 'placeholder' }, t('modFlags.noText'));
  else text = h('p', { class: 'flag-excerpt', lang: post.language || false }, excerpt(post.body));
  const states = [
    post.hidden && badge(t('modFlags.hiddenBadge'), 'locked'),
    post.deleted && badge(t('modFlags.withdrawnBadge'), 'closed'),
    post.official && badge(t('modFlags.officialBadge'), 'official'),
  ].filter(Boolean);
  // Staff see every author's id, also of anonymous contributions: the way to their history and tools.
  const author = post.author && post.author.id ? post.author : null;
  return h('div', { class: 'flag-post' },
    h('p', { class: 'meta' }, byline(post.author, { anonymous: post.anonymous }), ' \u00b7 ', timeEl(post.created_at)),
    states.length ? h('p', { class: 'badges' }, states) : null,
    text,
    h('p', { class: 'flag-links' }, link,
      author ? h('a', { href: `#/mod/log?target_type=user&target_id=${author.id}` },
        t('modFlags.authorTools', { name: authorName(author) })) : null));
}

const RESOLUTIONS = { dismissed: t('modFlags.resolution.dismissed'), hidden: t('modFlags.resolution.hidden') };

function flagItem(flag, { onResolved }) {
  const titleId = `flag-${flag.id}-title`;
  const item = h('li', { class: 'flag', id: `flag-${flag.id}` });
  const parts = [
    h('h3', { class: 'flag-title', id: titleId, tabindex: '-1' }, flagReasonLabel(flag.reason)),
    h('p', { class: 'meta meta--quiet' },
      h('span', {}, withNodes(t('modFlags.flaggedBy'), { name: h('strong', {}, authorName(flag.flagger)) })),
      h('span', {}, timeEl(flag.created_at))),
    flag.text ? h('blockquote', { class: 'flag-text' }, flag.text) : null,
    postSummary(flag),
  ];
  if (flag.state === 'resolved') {
    parts.push(h('p', { class: 'flag-resolution' },
      h('strong', {}, RESOLUTIONS[flag.resolution] || t('modFlags.resolution.other')),
      flag.resolved_at ? [' \u00b7 ', timeEl(flag.resolved_at)] : null));
  } else {
    parts.push(resolveForm(flag, onResolved));
  }
  append(item, h('article', { 'aria-labelledby': titleId }, parts));
  return item;
}

// Two submit buttons in one form: the optional reason goes with either decision.
function resolveForm(flag, onResolved) {
  const form = h('form', { class: 'form flag-resolve', novalidate: true });
  const reason = field({
    name: 'reason', label: t('modFlags.reason'), hint: t('modFlags.reasonHint', { max: REASON_MAX }),
    attrs: { maxlength: String(REASON_MAX) },
  });
  const dismiss = h('button', { type: 'submit', class: 'button button--secondary', value: 'dismiss' }, t('modFlags.dismiss'));
  const hide = h('button', { type: 'submit', class: 'button button--danger', value: 'hide' }, t('modFlags.hide'));
  const errors = formErrors(form);
  append(form, reason.wrap, errors.region, h('div', { class: 'form-actions' }, dismiss, hide));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const button = ev.submitter === hide ? hide : dismiss;
    if (dismiss.disabled) return;
    errors.clear();
    const r = reason.control.value.trim();
    if (charLength(r) > REASON_MAX) {
      errors.show({ field: 'reason', message: t('modFlags.reasonTooLong', { max: REASON_MAX }) });
      return;
    }
    const label = button.textContent;
    dismiss.disabled = true;
    hide.disabled = true;
    button.textContent = button === hide ? t('modFlags.hiding') : t('modFlags.dismissing');
    try {
      const payload = { action: button.value };
      if (r) payload.reason = r;
      const res = await api.post(`/mod/flags/${flag.id}/resolve`, payload);
      onResolved(flag, res.flag);
    } catch (err) {
      errors.show(err);
      dismiss.disabled = false;
      hide.disabled = false;
      button.textContent = label;
    }
  });
  return form;
}

export async function render(root, { query }) {
  if (!staffGate(root, t('modFlags.title'))) return;
  const state = query.get('state') === 'resolved' ? 'resolved' : 'open';
  const first = await api.get('/mod/flags', { state, limit: PAGE });
  setTitle(state === 'open' ? t('modFlags.title') : t('modFlags.resolvedTitle'));

  const list = h('ol', { class: 'flag-list', 'aria-labelledby': 'flags-heading' });
  const heading = h('h2', { id: 'flags-heading', class: 'visually-hidden' },
    state === 'open' ? t('modFlags.openHeading') : t('modFlags.resolvedTitle'));
  const empty = notice(state === 'open' ? t('modFlags.noneOpen') : t('modFlags.noneResolved'), 'muted', { tabindex: '-1' });

  function onResolved(flag, resolved) {
    // The decision resolves every open flag on the same post: they all leave the open queue.
    const gone = [...list.children].filter((li) => li.dataset.postId === String(flag.post_id));
    const after = gone.length ? gone[gone.length - 1].nextElementSibling : null;
    gone.forEach((li) => li.remove());
    const hidden = resolved && resolved.resolution === 'hidden';
    const others = gone.length - 1;
    if (others > 0) {
      announce(hidden ? t('modFlags.hiddenOthers', { count: others }) : t('modFlags.dismissedOthers', { count: others }));
    } else {
      announce(hidden ? t('modFlags.hiddenDone') : t('modFlags.dismissedDone'));
    }
    const next = after && after.isConnected ? after : list.firstElementChild;
    const more = root.querySelector('.load-more button');
    if (next) {
      next.querySelector('.flag-title').focus();
    } else if (more) {
      // The loaded ones are done but older flags wait on the next page.
      more.focus();
    } else {
      list.replaceWith(empty);
      empty.focus();
    }
  }

  const add = (flags) => flags.map((f) => {
    const li = flagItem(f, { onResolved });
    li.dataset.postId = String(f.post_id);
    list.append(li);
    return li;
  });
  add(first.flags);

  append(root,
    pageHeading(t('modNav.heading')),
    modTabs('flags'),
    tabs(t('modFlags.byState'), [
      { key: 'open', href: '#/mod/flags', label: t('modFlags.open') },
      { key: 'resolved', href: '#/mod/flags?state=resolved', label: t('modFlags.resolved') },
    ], state),
    heading,
    first.flags.length ? list : empty);

  let cursor = first.next_cursor;
  if (cursor) {
    append(root, loadMore(t('common.more'), async () => {
      const page = await api.get('/mod/flags', { state, limit: PAGE, cursor });
      cursor = page.next_cursor;
      const added = add(page.flags);
      if (added.length) added[0].querySelector('.flag-title').focus();
      return !!cursor;
    }));
  }
}
