// The sign-in page. `next` brings the person back to where they were going.
import { append, h } from '../dom.js';
import * as session from '../session.js';
import { signInForm } from '../signin-form.js';
import { pageHeading, setTitle } from '../ui.js';

// Only in-app hash routes: anything else could turn the link into a redirect elsewhere.
export function safeNext(next) {
  return typeof next === 'string' && /^#\/[^\s]*$/.test(next) ? next : '#/';
}

export async function render(root, { query }) {
  const next = safeNext(query.get('next'));
  setTitle('Sign in');
  append(root, pageHeading('Sign in'));
  const user = session.currentUser();
  if (user) {
    append(root, h('p', {}, `You are signed in as ${user.display_name}. `, h('a', { href: next }, 'Continue')));
    return;
  }
  append(root,
    h('p', { class: 'lead' }, 'Sign in with the email address and password you registered with.'),
    signInForm({ onSignedIn: () => { window.location.hash = next; } }),
    h('p', {}, 'No account yet? ',
      h('a', { href: `#/register${next !== '#/' ? `?next=${encodeURIComponent(next)}` : ''}` }, 'Register as a participant'),
      '.'));
}
