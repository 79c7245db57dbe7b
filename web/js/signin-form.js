// The sign-in form, used on the sign-in page and inside composers whose session has ended.
import { append, h, clear } from './dom.js';
import { field, formErrors, onSubmit, buttonRow } from './forms.js';
import * as session from './session.js';

export function signInForm({ onSignedIn, submitLabel = 'Sign in' }) {
  const form = h('form', { class: 'form' });
  const email = field({ name: 'email', label: 'Email address', type: 'email', required: true, autocomplete: 'username' });
  const password = field({
    name: 'password', label: 'Password', type: 'password', required: true, autocomplete: 'current-password',
  });
  const button = h('button', { type: 'submit', class: 'button' }, submitLabel);
  const errors = formErrors(form);
  append(form, email.wrap, password.wrap, errors.region, buttonRow(button));

  onSubmit(form, {
    errors,
    button,
    busyText: 'Signing in…',
    validate: () => {
      if (!email.control.value.trim()) return { field: 'email', message: 'Enter your email address.' };
      if (!password.control.value) return { field: 'password', message: 'Enter your password.' };
      return null;
    },
    send: async () => {
      const user = await session.signIn(email.control.value.trim(), password.control.value);
      password.control.value = '';
      onSignedIn(user);
    },
  });
  return form;
}

// For a composer that got a 401: shows a sign-in form in `slot` (outside the composer's own form,
// since forms cannot nest) and, once signed in, tells the person to press publish again.
export function reauthHandler(slot, errors, submitButton) {
  return () => {
    errors.info('Your session has ended. Your text is kept: sign in again below, then publish.');
    const panel = h('section', { class: 'reauth', 'aria-label': 'Sign in again' },
      h('h2', { class: 'reauth-title' }, 'Sign in again to publish'),
      signInForm({
        submitLabel: 'Sign in and return to my text',
        onSignedIn: () => {
          clear(slot);
          errors.info('You are signed in again. Press the button below to publish your text.');
          submitButton.focus();
        },
      }));
    slot.replaceChildren(panel);
    panel.querySelector('input').focus();
  };
}
