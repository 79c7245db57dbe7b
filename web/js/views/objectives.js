// Overview: the five strategic objectives of the Internal Security Strategy.
import { append, h } from '../dom.js';
import * as data from '../data.js';
import { count, timeEl } from '../format.js';
import { pageHeading, setTitle } from '../ui.js';

function objectiveCard(o) {
  const href = `#/o/${encodeURIComponent(o.slug)}`;
  const headingId = `objective-${o.id}-title`;
  return h('li', { class: 'card objective-card' },
    h('article', { 'aria-labelledby': headingId },
      h('p', { class: 'kicker' }, `Strategic objective ${o.number}`),
      h('h2', { class: 'card-title', id: headingId }, h('a', { href }, o.title)),
      h('p', { class: 'summary' }, o.summary),
      h('h3', { class: 'subheading' }, 'Key actions'),
      h('ul', { class: 'key-action-list' }, o.key_actions.map((ka) => h('li', {},
        h('a', { href: `${href}?ka=${encodeURIComponent(ka.slug)}` }, ka.title)))),
      h('p', { class: 'stats' },
        h('span', {}, count(o.thread_count, 'thread')),
        h('span', {}, count(o.post_count, 'contribution')),
        h('span', {}, o.last_post_at ? ['Last activity ', timeEl(o.last_post_at)] : 'No contributions yet'))));
}

export async function render(root) {
  const objectives = await data.objectives({ fresh: true });
  setTitle('Strategic objectives');
  append(root,
    pageHeading('The five strategic objectives'),
    h('p', { class: 'lead' },
      'The EU Internal Security Strategy sets five strategic objectives. Choose one to read the '
      + 'discussion on it, or to contribute your organisation\u2019s experience and proposals.'),
    h('ol', { class: 'card-grid' }, objectives.map(objectiveCard)));
}
