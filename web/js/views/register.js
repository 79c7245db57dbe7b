// Registration: who you are and whom you represent, then an automatic sign-in.
import { append, h } from '../dom.js';
import * as api from '../api.js';
import * as session from '../session.js';
import { charLength } from '../format.js';
import { EU_STATES, countryGroups } from '../countries.js';
import { STAKEHOLDER_TYPES } from '../labels.js';
import { field, formErrors, onSubmit, buttonRow } from '../forms.js';
import { pageHeading, setTitle } from '../ui.js';
import { safeNext } from './login.js';

function registerForm(next) {
  const form = h('form', { class: 'form' });
  const f = {
    email: field({ name: 'email', label: 'Email address', type: 'email', required: true, autocomplete: 'email',
      hint: 'Used to sign in. It is never shown to other participants.' }),
    password: field({ name: 'password', label: 'Password', type: 'password', required: true,
      autocomplete: 'new-password',
      hint: 'Between 12 and 128 characters. A phrase of several unrelated words is strong and easy to remember.' }),
    display_name: field({ name: 'display_name', label: 'Display name', required: true, autocomplete: 'name',
      hint: 'Shown with your contributions, for example your name or your function.' }),
    stakeholder_type: field({ name: 'stakeholder_type', label: 'You take part as', type: 'select', required: true,
      placeholder: 'Choose…', options: STAKEHOLDER_TYPES }),
    organisation: field({ name: 'organisation', label: 'Organisation', autocomplete: 'organization' }),
    country: field({ name: 'country', label: 'Country', type: 'select', placeholder: 'Not specified',
      options: countryGroups(),
      hint: 'Member State representatives must choose one of the 27 EU Member States.' }),
    transparency_register_id: field({ name: 'transparency_register_id', label: 'EU Transparency Register number',
      hint: 'If your organisation is in the EU Transparency Register, its identification number.' }),
  };
  const submit = h('button', { type: 'submit', class: 'button' }, 'Register');
  const errors = formErrors(form);
  const value = (name) => f[name].control.value.trim();

  append(form,
    h('p', { class: 'notice notice--info' },
      'Your display name, stakeholder type, organisation and country are shown publicly with your contributions.'),
    ...Object.values(f).map((x) => x.wrap), errors.region, buttonRow(submit));

  onSubmit(form, {
    errors,
    button: submit,
    busyText: 'Registering…',
    validate: () => {
      const pw = charLength(f.password.control.value);
      if (!/^[^\s@]+@[^\s@]+$/.test(value('email'))) return { field: 'email', message: 'Enter a valid email address.' };
      if (pw < 12 || pw > 128) return { field: 'password', message: 'The password must be 12 to 128 characters long.' };
      if (!value('display_name')) return { field: 'display_name', message: 'Enter a display name.' };
      if (!value('stakeholder_type')) return { field: 'stakeholder_type', message: 'Choose whom you represent.' };
      if (value('stakeholder_type') === 'member_state' && !EU_STATES.includes(value('country'))) {
        return { field: 'country', message: 'Member State representatives must choose one of the 27 EU Member States.' };
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
        errors.info(`Your account has been created, but signing in failed: ${err.message} Please sign in.`);
        return;
      }
      window.location.hash = next;
    },
  });
  return form;
}

export async function render(root, { query }) {
  const next = safeNext(query.get('next'));
  setTitle('Register');
  const user = session.currentUser();
  if (user) {
    append(root, pageHeading('Register as a participant'),
      h('p', {}, `You are already registered and signed in as ${user.display_name}. `, h('a', { href: next }, 'Continue')));
    return;
  }
  append(root,
    pageHeading('Register as a participant'),
    h('p', { class: 'lead' },
      'The forum is open to civil society, academia, the private sector, EU institutions and agencies, '
      + 'Member State authorities and citizens. Anyone may read; registered participants may contribute.'),
    registerForm(next),
    h('p', {}, 'Already registered? ', h('a', { href: `#/login?next=${encodeURIComponent(next)}` }, 'Sign in'), '.'));
}
