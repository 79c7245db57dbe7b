// Registration: who you are and whom you represent, then an automatic sign-in.
import { append, h, withNodes } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import * as session from '../session.js';
import { charLength } from '../format.js';
import { EU_STATES, countryGroups } from '../countries.js';
import { STAKEHOLDER_TYPES } from '../labels.js';
import { field, formErrors, onSubmit, buttonRow } from '../forms.js';
import { pageHeading, setTitle } from '../ui.js';
import { safeNext } from './login.js';

// The EU Transparency Register's identification numbers: digits with one hyphen ("123456789012-34").
export const TRANSPARENCY_ID = /^\d+-\d+$/;

function registerForm(next) {
  const form = h('form', { class: 'form' });
  const f = {
    email: field({ name: 'email', label: t('register.email'), type: 'email', required: true, autocomplete: 'email',
      hint: t('register.emailHint'), attrs: { maxlength: '254' } }),
    password: field({ name: 'password', label: t('register.password'), type: 'password', required: true,
      autocomplete: 'new-password', hint: t('register.passwordHint') }),
    display_name: field({ name: 'display_name', label: t('register.displayName'), required: true, autocomplete: 'name',
      hint: t('register.displayNameHint'), attrs: { maxlength: '80' } }),
    stakeholder_type: field({ name: 'stakeholder_type', label: t('register.stakeholderType'), type: 'select', required: true,
      placeholder: t('register.choose'), options: STAKEHOLDER_TYPES }),
    organisation: field({ name: 'organisation', label: t('register.organisation'), autocomplete: 'organization',
      attrs: { maxlength: '200' } }),
    country: field({ name: 'country', label: t('register.country'), type: 'select', placeholder: t('register.noCountry'),
      options: countryGroups(), hint: t('register.countryHint') }),
    transparency_register_id: field({ name: 'transparency_register_id', label: t('register.transparency'),
      hint: t('register.transparencyHint'), attrs: { maxlength: '20', inputmode: 'numeric' } }),
  };
  const submit = h('button', { type: 'submit', class: 'button' }, t('register.submit'));
  const errors = formErrors(form);
  const value = (name) => f[name].control.value.trim();

  append(form,
    h('p', { class: 'notice notice--info' }, t('register.publicNote')),
    ...Object.values(f).map((x) => x.wrap), errors.region, buttonRow(submit));

  onSubmit(form, {
    errors,
    button: submit,
    busyText: t('register.busy'),
    validate: () => {
      const pw = charLength(f.password.control.value);
      if (!/^[^\s@]+@[^\s@]+$/.test(value('email'))) return { field: 'email', message: t('register.emailInvalid') };
      if (pw < 12 || pw > 128) return { field: 'password', message: t('register.passwordLength') };
      if (!value('display_name')) return { field: 'display_name', message: t('register.displayNameMissing') };
      if (!value('stakeholder_type')) return { field: 'stakeholder_type', message: t('register.stakeholderMissing') };
      if (value('stakeholder_type') === 'member_state' && !EU_STATES.includes(value('country'))) {
        return { field: 'country', message: t('register.countryHint') };
      }
      if (value('transparency_register_id') && !TRANSPARENCY_ID.test(value('transparency_register_id'))) {
        return { field: 'transparency_register_id', message: t('register.transparencyInvalid') };
      }
      return null;
    },
    send: async () => {
      const body = {
        email: value('email'),
        password: f.password.control.value,
        display_name: value('display_name'),
        stakeholder_type: value('stakeholder_type'),
      };
      ['organisation', 'country', 'transparency_register_id'].forEach((k) => {
        if (value(k)) body[k] = value(k);
      });
      await api.post('/auth/register', body);
      try {
        await session.signIn(body.email, body.password);
      } catch (err) {
        errors.info(t('register.createdSignInFailed', { reason: err.message }));
        return;
      }
      window.location.hash = next;
    },
  });
  return form;
}

export async function render(root, { query }) {
  const next = safeNext(query.get('next'));
  setTitle(t('register.title'));
  const user = session.currentUser();
  if (user) {
    append(root, pageHeading(t('register.heading')),
      h('p', {}, t('register.already', { name: user.display_name }), ' ', h('a', { href: next }, t('login.continue'))));
    return;
  }
  append(root,
    pageHeading(t('register.heading')),
    h('p', { class: 'lead' }, t('register.lead')),
    registerForm(next),
    h('p', {}, withNodes(t('register.haveAccount'), {
      link: h('a', { href: `#/login?next=${encodeURIComponent(next)}` }, t('register.signInLink')),
    })));
}
