// The signed-in person's account: their profile, API tokens for scripts, a copy of every piece of
// data the forum holds about them, and erasing the account.
import { append, h } from '../dom.js';
import * as api from '../api.js';
import * as session from '../session.js';
import { countryName } from '../countries.js';
import { timeEl } from '../format.js';
import { buttonRow, checkbox, field, formErrors, onSubmit } from '../forms.js';
import { stakeholderLabel } from '../labels.js';
import { notice, pageHeading, setTitle } from '../ui.js';
import { setFlash } from '../flash.js';
import { downloadLink } from '../downloads.js';

const TEXT = {
  title: 'Your account',
  signIn: 'Please sign in to see your account.',
  profile: 'Profile',
  profileNote: 'Your display name, stakeholder type, organisation and country are shown with your contributions '
    + '(except the name and organisation on anonymous ones). Your email address is never shown.',
  tokens: 'API tokens',
  tokensIntro: 'A token lets a script or another program use the forum\u2019s API as you, without your password: '
    + 'it sends the header \u201cAuthorization: Bearer <token>\u201d. Moderators need one to check a closed '
    + 'consultation\u2019s integrity manifest from the command line. Treat a token like a password.',
  tokensNote: 'The forum shows a token only once, when it is created, and keeps only a fingerprint of it. '
    + 'Signing out does not revoke tokens; deleting your account does.',
  tokenName: 'Name of the new token',
  tokenHint: 'Something to recognise it by, such as \u201cmanifest checks on my laptop\u201d.',
  create: 'Create token',
  created: 'Your new token. Copy it now: it will not be shown again.',
  copy: 'Copy token',
  copied: 'The token is copied to the clipboard.',
  copyFailed: 'The token could not be copied automatically: select it and copy it yourself.',
  data: 'Your data',
  dataIntro: 'Download, as a JSON file, everything the forum holds about you: your profile with your email '
    + 'address, your contributions with their earlier versions, your flags, what you follow, your notifications, '
    + 'your sessions and your API tokens (their names and dates, never the tokens themselves).',
  dataLink: 'Download my data (JSON)',
  erase: 'Delete your account',
  eraseIntro: 'Deleting your account erases your email address, password, display name, organisation, country '
    + 'and transparency register number, and ends all your sessions and API tokens. Your contributions stay in '
    + 'the discussions, shown as by \u201cDeleted user\u201d, because others have replied to them. This cannot be undone.',
  eraseTip: 'If you want to keep a copy of your data, download it first.',
  password: 'Your password',
  passwordHint: 'To confirm it is you.',
  confirm: 'I understand that my account and personal data will be erased for good.',
  eraseButton: 'Delete my account',
  erased: 'Your account has been deleted and your personal data erased.',
};

function profile(user) {
  const rows = [
    ['Display name', user.display_name],
    ['Email address', user.email],
    ['Stakeholder type', stakeholderLabel(user.stakeholder_type)],
    ['Organisation', user.organisation],
    ['Country', countryName(user.country)],
    ['Transparency register number', user.transparency_register_id],
    ['Role', { admin: 'Administrator', moderator: 'Moderator', member: 'Participant' }[user.role] || user.role],
    ['Member since', user.created_at ? timeEl(user.created_at) : null],
  ].filter(([, v]) => v);
  return h('dl', { class: 'profile' }, rows.map(([k, v]) => h('div', { class: 'profile-row' }, h('dt', {}, k), h('dd', {}, v))));
}

function tokenForm() {
  const form = h('form', { class: 'form' });
  const name = field({
    name: 'name', label: TEXT.tokenName, required: true, hint: TEXT.tokenHint, attrs: { maxlength: '100' },
  });
  const submit = h('button', { type: 'submit', class: 'button' }, TEXT.create);
  const errors = formErrors(form);
  const result = h('div', { class: 'token-result' });
  form.append(name.wrap, errors.region, buttonRow(submit));
  onSubmit(form, {
    errors,
    button: submit,
    busyText: 'Creating…',
    validate: () => (name.control.value.trim() ? null : { field: 'name', message: 'Give the token a name.' }),
    send: async () => {
      let created;
      try {
        created = await api.post('/me/tokens', { name: name.control.value.trim() });
      } catch (err) {
        if (err.status === 404) throw Object.assign(err, { message: 'API tokens cannot be created on this server yet.' });
        throw err;
      }
      name.control.value = '';
      result.replaceChildren(showToken(created));
      result.querySelector('input').focus();
    },
  });
  return h('div', {}, form, result);
}

function showToken(created) {
  const id = `token-${created.id}`;
  const input = h('input', {
    type: 'text', id, readonly: true, class: 'token-value', value: created.token, spellcheck: 'false', autocomplete: 'off',
  });
  input.addEventListener('focus', () => input.select());
  const status = h('p', { class: 'copy-status', role: 'status' });
  const copy = h('button', { type: 'button', class: 'button button--secondary' }, TEXT.copy);
  copy.addEventListener('click', async () => {
    status.textContent = '';
    try {
      await navigator.clipboard.writeText(created.token);
      status.textContent = TEXT.copied;
    } catch {
      input.focus();
      input.select();
      status.textContent = TEXT.copyFailed;
    }
  });
  return h('div', { class: 'notice notice--ok token-box' },
    h('p', {}, h('strong', {}, TEXT.created)),
    h('label', { for: id }, `Token \u201c${created.name}\u201d (number ${created.id})`),
    h('div', { class: 'token-row' }, input, copy),
    status);
}

function eraseForm() {
  const form = h('form', { class: 'form' });
  const password = field({
    name: 'password', label: TEXT.password, type: 'password', required: true, autocomplete: 'current-password',
    hint: TEXT.passwordHint,
  });
  const confirm = checkbox({ name: 'confirm', label: TEXT.confirm });
  const submit = h('button', { type: 'submit', class: 'button button--danger' }, TEXT.eraseButton);
  const errors = formErrors(form);
  form.append(password.wrap, confirm.wrap, errors.region, buttonRow(submit));
  onSubmit(form, {
    errors,
    button: submit,
    busyText: 'Deleting…',
    validate: () => {
      if (!password.control.value) return { field: 'password', message: 'Enter your password.' };
      if (!confirm.control.checked) return { field: 'confirm', message: 'Tick the box to confirm that you want to delete your account.' };
      return null;
    },
    send: async () => {
      try {
        await api.request('DELETE', '/me', { body: { password: password.control.value } });
      } catch (err) {
        password.control.value = '';
        if (err.code === 'invalid_credentials') {
          throw Object.assign(err, { field: 'password', message: 'This password is not right. Your account has not been deleted.' });
        }
        if (err.status === 404 || err.status === 405) {
          throw Object.assign(err, { message: 'Accounts cannot be deleted on this server yet. Nothing has been changed.' });
        }
        throw err;
      }
      // The session went with the account: forget it here, then say so on the home page.
      session.forget();
      setFlash(TEXT.erased);
      window.location.hash = '#/';
    },
  });
  return form;
}

export async function render(root) {
  setTitle(TEXT.title);
  if (!session.currentUser()) {
    append(root, pageHeading(TEXT.title), notice([`${TEXT.signIn} `,
      h('a', { href: `#/login?next=${encodeURIComponent('#/account')}` }, 'Sign in'), '.'], 'info'));
    return;
  }
  let user = session.currentUser();
  try {
    user = (await api.get('/me')).user || user;
  } catch (err) {
    if (err.status === 401) {
      append(root, pageHeading(TEXT.title), notice([`${TEXT.signIn} `,
        h('a', { href: `#/login?next=${encodeURIComponent('#/account')}` }, 'Sign in'), '.'], 'info'));
      return;
    }
    throw err;
  }
  const section = (id, title, ...content) => h('section', { class: 'account-section', 'aria-labelledby': id },
    h('h2', { id }, title), content);
  append(root,
    pageHeading(TEXT.title),
    section('account-profile', TEXT.profile, h('p', {}, TEXT.profileNote), profile(user)),
    section('account-tokens', TEXT.tokens, h('p', {}, TEXT.tokensIntro), h('p', {}, TEXT.tokensNote), tokenForm()),
    section('account-data', TEXT.data, h('p', {}, TEXT.dataIntro),
      downloadLink('/api/v1/me/export', TEXT.dataLink, { unavailable: 'Downloading your data is not available on this server yet.' })),
    section('account-erase', TEXT.erase, h('p', {}, TEXT.eraseIntro), h('p', {}, TEXT.eraseTip), eraseForm()));
}
