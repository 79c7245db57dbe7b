// What the moderators' pages share: the staff gate and the tabs between them.
import { append, h } from './dom.js';
import * as session from './session.js';
import { notice, pageHeading, setTitle } from './ui.js';

// Returns true when the signed-in person is staff; otherwise fills root with why not.
export function staffGate(root, title) {
  if (session.isModerator()) return true;
  setTitle(title);
  const here = window.location.hash || '#/mod/flags';
  append(root, pageHeading(title), session.currentUser()
    ? notice('This page is for the forum\u2019s moderators only.', 'muted')
    : notice(['This page is for the forum\u2019s moderators. Please ',
      h('a', { href: `#/login?next=${encodeURIComponent(here)}` }, 'sign in'), '.'], 'info'));
  return false;
}

// Tabs as links (each tab is its own address), with aria-current on the one shown.
export function tabs(label, items, current) {
  return h('nav', { class: 'tabs', 'aria-label': label },
    h('ul', {}, items.map((t) => h('li', {},
      h('a', { href: t.href, class: 'tab', 'aria-current': t.key === current ? 'page' : false }, t.label)))));
}

export function modTabs(current) {
  return tabs('Moderation pages', [
    { key: 'flags', href: '#/mod/flags', label: 'Flag queue' },
    { key: 'log', href: '#/mod/log', label: 'Moderation log' },
  ], current);
}
