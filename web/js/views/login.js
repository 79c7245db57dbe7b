// The sign-in page. `next` brings the person back to where they were going.
import { append, h, withNodes } from '../dom.js';
import { t } from '../i18n.js';
import * as session from '../session.js';
import { signInForm } from '../signin-form.js';
import { pageHeading, setTitle } from '../ui.js';

// Only in-app hash routes: anything else could turn the link into a redirect elsewhere.
export function safeNext(next) {
  return typeof next === 'string' && /^#\/[^\s]*$/.test(next) ? next : '#/';
}

export async function render(root, { query }) {
  const next = safeNext(query.get('next'));
  setTitle(t('login.title'));
  append(root, pageHeading(t('login.title')));
  const user = session.currentUser();
  if (user) {
    append(root, h('p', {}, t('login.already', { name: user.display_name }), ' ', h('a', { href: next }, t('login.continue'))));
    return;
  }
  append(root,
    h('p', { class: 'lead' }, t('login.lead')),
    signInForm({ onSignedIn: () => { window.location.hash = next; } }),
    h('p', {}, withNodes(t('login.noAccount'), {
      link: h('a', { href: `#/register${next !== '#/' ? `?next=${encodeURIComponent(next)}` : ''}` }, t('login.registerLink')),
    })));
}
