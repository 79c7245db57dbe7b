// The moderation log: every moderation action, newest first, optionally for one target.
import { append, h } from '../dom.js';
import * as api from '../api.js';
import { timeEl } from '../format.js';
import { FLAG_REASONS, flagReasonLabel, logActionLabel } from '../labels.js';
import { modTabs, staffGate } from '../mod-nav.js';
import { authorName, loadMore, notice, pageHeading, setTitle } from '../ui.js';

const PAGE = 25;
const TARGET_TYPES = ['post', 'thread', 'user', 'flag'];

// A link where the front end has a page for the target: posts and flags through their thread.
function target(entry) {
  const id = entry.target_id;
  switch (entry.target_type) {
    case 'thread':
      return h('a', { href: `#/t/${id}` }, `Thread #${id}`);
    case 'post':
      return entry.thread_id
        ? h('a', { href: `#/t/${entry.thread_id}?post=${id}` }, `Contribution #${id}`)
        : h('span', {}, `Contribution #${id}`);
    case 'user':
      return h('span', {}, `Participant #${id}`);
    case 'flag':
      return entry.thread_id
        ? h('a', { href: `#/t/${entry.thread_id}` }, `Flag #${id}`)
        : h('span', {}, `Flag #${id}`);
    default:
      return h('span', {}, `${entry.target_type || 'Item'} #${id}`);
  }
}

// Flag entries carry the flag's reason code ("off_topic"): show its wording instead.
function reasonText(e) {
  if (String(e.action).startsWith('flag') && FLAG_REASONS.some((r) => r.value === e.reason)) return flagReasonLabel(e.reason);
  return e.reason;
}

function entryItem(e) {
  return h('li', { class: 'log-entry' },
    h('p', { class: 'log-action' }, h('strong', {}, logActionLabel(e.action)), ': ', target(e)),
    h('p', { class: 'meta meta--quiet' },
      h('span', {}, e.actor ? ['By ', authorName(e.actor)] : 'Automatic, by the forum'),
      h('span', {}, timeEl(e.created_at))),
    e.reason ? h('p', { class: 'log-reason' }, h('span', { class: 'log-reason-label' }, 'Reason: '), reasonText(e)) : null);
}

export async function render(root, { query }) {
  if (!staffGate(root, 'Moderation log')) return;
  const type = TARGET_TYPES.includes(query.get('target_type')) ? query.get('target_type') : null;
  const id = type && /^[1-9]\d*$/.test(query.get('target_id') || '') ? query.get('target_id') : null;
  const filter = type && id ? { target_type: type, target_id: id } : {};
  const first = await api.get('/mod/log', { limit: PAGE, ...filter });
  setTitle('Moderation log');

  const list = h('ol', { class: 'log-list', 'aria-labelledby': 'log-heading' });
  const add = (entries) => entries.map((e) => {
    const li = entryItem(e);
    li.tabIndex = -1;
    list.append(li);
    return li;
  });
  add(first.entries);

  const scope = filter.target_type
    ? h('p', {}, `Showing the entries for ${filter.target_type} #${filter.target_id}. `,
      h('a', { href: '#/mod/log' }, 'Show all entries'), '.')
    : null;

  append(root,
    pageHeading('Moderation'),
    modTabs('log'),
    h('h2', { id: 'log-heading', class: 'visually-hidden' }, 'Moderation log'),
    scope,
    first.entries.length ? list : notice('The log has no entries yet.', 'muted'));

  let cursor = first.next_cursor;
  if (cursor) {
    append(root, loadMore('More entries', async () => {
      const page = await api.get('/mod/log', { limit: PAGE, ...filter, cursor });
      cursor = page.next_cursor;
      const added = add(page.entries);
      if (added.length) added[0].focus();
      return !!cursor;
    }));
  }
}
