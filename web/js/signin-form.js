// The sign-in form, used on the sign-in page and inside composers whose session has ended.
import { append, h, clear } from './dom.js';
import { field, formErrors, onSubmit, buttonRow } from './forms.js';
import * as session from './session.js';
import { t } from './i18n.js';

export function signInForm({ onSignedIn, submitLabel = t('login.submit') }) {
  const form = h('form', { class: 'form' });
  const email = field({ name: 'email', label: t('login.email'), type: 'email', required: true, autocomplete: 'username' });
  const password = field({
    name: 'password', label: t('login.password'), type: 'password', required: true, autocomplete: 'current-password',
  });
  const button = h('button', { type: 'submit', class: 'button' }, submitLabel);
  const errors = formErrors(form);
  append(form, email.wrap, password.wrap, errors.region, buttonRow(button));

  onSubmit(form, {
    errors,
    button,
    busyText: t('login.busy'),
    validate: () => {
      if (!email.control.value.trim()) return { field: 'email', message: t('login.emailMissing') };
      if (!password.control.value) return { field: 'password', message: t('login.passwordMissing') };
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
    errors.info(t('login.reauth.ended'));
    const panel = h('section', { class: 'reauth', 'aria-label': t('login.reauth.label') },
      h('h2', { class: 'reauth-title' }, t('login.reauth.title')),
      signInForm({
        submitLabel: t('login.reauth.submit'),
        onSignedIn: () => {
          clear(slot);
          errors.info(t('login.reauth.done'));
          submitButton.focus();
        },
      }));
    slot.replaceChildren(panel);
    panel.querySelector('input').focus();
  };
}
