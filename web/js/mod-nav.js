// What the moderators' pages share: the staff gate and the tabs between them.
import { append, h, withNodes } from './dom.js';
import { t } from './i18n.js';
import * as session from './session.js';
import { notice, pageHeading, setTitle } from './ui.js';

// Returns true when the signed-in person is staff; otherwise fills root with why not.
export function staffGate(root, title) {
  if (session.isModerator()) return true;
  setTitle(title);
  const here = window.location.hash || '#/mod/flags';
  append(root, pageHeading(title), session.currentUser()
    ? notice(t('modNav.staffOnly'), 'muted')
    : notice(withNodes(t('modNav.signIn'), {
      link: h('a', { href: `#/login?next=${encodeURIComponent(here)}` }, t('modNav.signInLink')),
    }), 'info'));
  return false;
}

// Tabs as links (each tab is its own address), with aria-current on the one shown.
export function tabs(label, items, current) {
  return h('nav', { class: 'tabs', 'aria-label': label },
    h('ul', {}, items.map((item) => h('li', {},
      h('a', { href: item.href, class: 'tab', 'aria-current': item.key === current ? 'page' : false }, item.label)))));
}

export function modTabs(current) {
  return tabs(t('modNav.pages'), [
    { key: 'flags', href: '#/mod/flags', label: t('modNav.flags') },
    { key: 'log', href: '#/mod/log', label: t('modNav.log') },
  ], current);
}
