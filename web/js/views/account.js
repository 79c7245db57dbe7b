// The signed-in person's account: their profile (shown and editable), API tokens for scripts, a
// copy of every piece of data the forum holds about them, and erasing the account.
import { append, h, withNodes } from '../dom.js';
import * as api from '../api.js';
import * as session from '../session.js';
import { t } from '../i18n.js';
import { countryGroups, countryName, EU_STATES } from '../countries.js';
import { timeEl } from '../format.js';
import { buttonRow, checkbox, field, formErrors, onSubmit } from '../forms.js';
import { stakeholderLabel } from '../labels.js';
import { announce, loadMore, notice, pageHeading, roleLabel, setTitle } from '../ui.js';
import { setFlash } from '../flash.js';
import { downloadLink } from '../downloads.js';
import { TRANSPARENCY_ID } from './register.js';

const TOKENS_PAGE = 10;

const TEXT = {
  title: t('account.title'),
  signIn: t('account.signIn'),
  signInLink: t('account.signInLink'),
  profile: t('account.profile'),
  profileNote: t('account.profileNote'),
  edit: t('account.edit'),
  editTitle: t('account.editTitle'),
  saved: t('account.saved'),
  saving: t('account.saving'),
  tokens: t('account.tokens'),
  tokensIntro: t('account.tokensIntro'),
  tokensNote: t('account.tokensNote'),
  tokenList: t('account.tokenList'),
  tokensNone: t('account.tokensNone'),
  tokensUnavailable: t('account.tokensUnavailable'),
  tokenNew: t('account.tokenNew'),
  tokenName: t('account.tokenName'),
  tokenHint: t('account.tokenHint'),
  create: t('account.create'),
  creating: t('account.creating'),
  created: t('account.created'),
  copy: t('account.copy'),
  copied: t('account.copied'),
  copyFailed: t('account.copyFailed'),
  revoke: t('account.revoke'),
  revoking: t('account.revoking'),
  neverUsed: t('account.neverUsed'),
  data: t('account.data'),
  dataIntro: t('account.dataIntro'),
  dataLink: t('account.dataLink'),
  dataUnavailable: t('account.dataUnavailable'),
  erase: t('account.erase'),
  eraseIntro: t('account.eraseIntro'),
  eraseTip: t('account.eraseTip'),
  password: t('account.password'),
  passwordHint: t('account.passwordHint'),
  confirm: t('account.confirm'),
  eraseButton: t('account.eraseButton'),
  erasing: t('account.erasing'),
  erased: t('account.erased'),
};

function profileRows(user) {
  const rows = [
    [t('account.field.displayName'), user.display_name],
    [t('account.field.email'), user.email],
    [t('account.field.stakeholderType'), stakeholderLabel(user.stakeholder_type)],
    [t('account.field.organisation'), user.organisation],
    [t('account.field.country'), countryName(user.country)],
    [t('account.field.transparency'), user.transparency_register_id],
    [t('account.field.role'), roleLabel(user.role)],
    [t('account.field.since'), user.created_at ? timeEl(user.created_at) : null],
  ].filter(([, v]) => v);
  return rows.map(([k, v]) => h('div', { class: 'profile-row' }, h('dt', {}, k), h('dd', {}, v)));
}

// The profile as a list, and behind "Edit profile" the form that changes it (PATCH /me).
function profileSection(initial) {
  let user = initial;
  const list = h('dl', { class: 'profile', id: 'account-profile-list' }, profileRows(user));
  const editButton = h('button', {
    type: 'button', class: 'button button--secondary', 'aria-expanded': 'false', 'aria-controls': 'account-profile-edit',
  }, TEXT.edit);
  const slot = h('div', { id: 'account-profile-edit' });

  function close({ focus = true } = {}) {
    slot.replaceChildren();
    editButton.hidden = false;
    editButton.setAttribute('aria-expanded', 'false');
    if (focus) editButton.focus();
  }

  function open() {
    const form = profileForm(user, {
      onSaved: (next) => {
        user = { ...user, ...next };
        list.replaceChildren(...profileRows(user));
        session.updateUser(next);
        close();
        announce(TEXT.saved);
      },
      onCancel: () => close(),
    });
    slot.replaceChildren(form);
    editButton.hidden = true;
    editButton.setAttribute('aria-expanded', 'true');
    form.querySelector('input').focus();
  }
  editButton.addEventListener('click', open);
  return [list, h('div', { class: 'form-actions profile-actions' }, editButton), slot];
}

function profileForm(user, { onSaved, onCancel }) {
  const form = h('form', { class: 'form profile-form', 'aria-labelledby': 'account-edit-title' });
  const f = {
    display_name: field({
      name: 'display_name', label: t('register.displayName'), required: true, autocomplete: 'name',
      value: user.display_name || '', hint: t('register.displayNameHint'), attrs: { maxlength: '80' },
    }),
    organisation: field({
      name: 'organisation', label: t('register.organisation'), autocomplete: 'organization',
      value: user.organisation || '', attrs: { maxlength: '200' },
    }),
    country: field({
      name: 'country', label: t('register.country'), type: 'select', placeholder: t('register.noCountry'),
      options: countryGroups(), value: user.country || '',
      hint: user.stakeholder_type === 'member_state' ? t('register.countryHint') : undefined,
    }),
    transparency_register_id: field({
      name: 'transparency_register_id', label: t('register.transparency'), hint: t('register.transparencyHint'),
      value: user.transparency_register_id || '', attrs: { maxlength: '20', inputmode: 'numeric' },
    }),
  };
  const save = h('button', { type: 'submit', class: 'button' }, t('common.save'));
  const cancel = h('button', { type: 'button', class: 'button button--secondary', on: { click: onCancel } },
    t('common.cancel'));
  const errors = formErrors(form);
  const value = (name) => f[name].control.value.trim();
  append(form,
    h('h3', { id: 'account-edit-title', class: 'form-title' }, TEXT.editTitle),
    h('p', { class: 'hint' }, t('account.editNote')),
    ...Object.values(f).map((x) => x.wrap), errors.region, buttonRow(save, cancel));
  form.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') {
      ev.preventDefault();
      onCancel();
    }
  });

  onSubmit(form, {
    errors,
    button: save,
    busyText: TEXT.saving,
    validate: () => {
      if (!value('display_name')) return { field: 'display_name', message: t('register.displayNameMissing') };
      if (user.stakeholder_type === 'member_state' && !EU_STATES.includes(value('country'))) {
        return { field: 'country', message: t('register.countryHint') };
      }
      if (value('transparency_register_id') && !TRANSPARENCY_ID.test(value('transparency_register_id'))) {
        return { field: 'transparency_register_id', message: t('register.transparencyInvalid') };
      }
      return null;
    },
    send: async () => {
      // Empty optional fields are sent as null: the server then clears them.
      const body = { display_name: value('display_name') };
      ['organisation', 'country', 'transparency_register_id'].forEach((k) => { body[k] = value(k) || null; });
      let res;
      try {
        res = await api.patch('/me', body);
      } catch (err) {
        if (err.status === 404 || err.status === 405) {
          throw Object.assign(err, { message: t('account.editUnavailable'), detail: null });
        }
        throw err;
      }
      onSaved((res && res.user) || body);
    },
  });
  return form;
}

// The account's tokens (GET /me/tokens: names and dates, never the secrets), each revocable.
function tokenList() {
  const status = h('div', { class: 'token-list-status' });
  const list = h('ul', { class: 'token-list', 'aria-labelledby': 'account-token-list-title' });
  const wrap = h('div', { class: 'token-list-wrap' },
    h('h3', { id: 'account-token-list-title', class: 'subheading', tabindex: '-1' }, TEXT.tokenList), status, list);
  let tokens = [];
  let shown = 0;
  let more = null;

  function item(token) {
    // The visible word, and the token's name for those who hear the button out of its row.
    const revoke = h('button', {
      type: 'button', class: 'button button--secondary button--small token-revoke',
      'aria-label': t('account.revokeNamed', { name: token.name }),
    }, TEXT.revoke);
    const error = h('p', { class: 'field-error token-error', role: 'alert' });
    const li = h('li', { class: 'token', dataset: { tokenId: String(token.id) } },
      h('div', { class: 'token-info' },
        h('p', { class: 'token-name' }, token.name),
        h('p', { class: 'meta meta--quiet' },
          h('span', {}, withNodes(t('account.tokenCreated'), { date: timeEl(token.created_at) })),
          h('span', {}, token.last_used_at
            ? withNodes(t('account.tokenLastUsed'), { date: timeEl(token.last_used_at) })
            : TEXT.neverUsed))),
      h('div', { class: 'token-actions' }, revoke),
      error);
    revoke.addEventListener('click', async () => {
      if (revoke.disabled) return;
      error.textContent = '';
      revoke.disabled = true;
      revoke.textContent = TEXT.revoking;
      try {
        await api.del(`/me/tokens/${encodeURIComponent(token.id)}`);
      } catch (err) {
        revoke.disabled = false;
        revoke.textContent = TEXT.revoke;
        if (err.status !== 404) {
          error.textContent = err.message;
          return;
        }
        // 404: already revoked (in another tab, say): the token is gone all the same.
      }
      const next = li.nextElementSibling || li.previousElementSibling;
      li.remove();
      tokens = tokens.filter((x) => x.id !== token.id);
      shown -= 1;
      announce(t('account.revoked', { name: token.name }));
      if (!tokens.length) {
        status.replaceChildren(h('p', {}, TEXT.tokensNone));
        wrap.querySelector('h3').focus();
      } else if (next) {
        next.querySelector('.token-revoke').focus();
      } else {
        wrap.querySelector('h3').focus();
      }
    });
    return li;
  }

  // Long lists show TOKENS_PAGE at a time, like the forum's other lists.
  function showNext() {
    const slice = tokens.slice(shown, shown + TOKENS_PAGE);
    slice.forEach((tk) => list.append(item(tk)));
    shown += slice.length;
    return slice;
  }

  async function load() {
    list.replaceChildren();
    if (more) more.remove();
    more = null;
    shown = 0;
    status.replaceChildren(h('p', { class: 'loading' }, t('common.loading')));
    try {
      tokens = ((await api.get('/me/tokens')).tokens || []).slice();
    } catch (err) {
      status.replaceChildren(h('p', {}, err.status === 404 || err.status === 405 ? TEXT.tokensUnavailable : err.message));
      return;
    }
    status.replaceChildren(tokens.length ? '' : h('p', {}, TEXT.tokensNone));
    showNext();
    if (shown < tokens.length) {
      more = loadMore(t('common.more'), async () => {
        const added = showNext();
        if (added.length) list.children[list.children.length - added.length].querySelector('.token-revoke').focus();
        return shown < tokens.length;
      });
      wrap.append(more);
    }
  }
  return { wrap, load };
}

function tokenForm(onCreated) {
  const form = h('form', { class: 'form', 'aria-labelledby': 'account-token-new-title' });
  const name = field({
    name: 'name', label: TEXT.tokenName, required: true, hint: TEXT.tokenHint, attrs: { maxlength: '100' },
  });
  const submit = h('button', { type: 'submit', class: 'button' }, TEXT.create);
  const errors = formErrors(form);
  const result = h('div', { class: 'token-result' });
  form.append(h('h3', { id: 'account-token-new-title', class: 'subheading' }, TEXT.tokenNew),
    name.wrap, errors.region, buttonRow(submit));
  onSubmit(form, {
    errors,
    button: submit,
    busyText: TEXT.creating,
    validate: () => (name.control.value.trim() ? null : { field: 'name', message: t('account.tokenNameMissing') }),
    send: async () => {
      let created;
      try {
        created = await api.post('/me/tokens', { name: name.control.value.trim() });
      } catch (err) {
        if (err.status === 404) throw Object.assign(err, { message: t('account.tokensCreateUnavailable'), detail: null });
        throw err;
      }
      name.control.value = '';
      result.replaceChildren(showToken(created));
      result.querySelector('input').focus();
      onCreated(created);
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
    h('label', { for: id }, t('account.tokenLabel', { name: created.name, id: String(created.id) })),
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
    busyText: TEXT.erasing,
    validate: () => {
      if (!password.control.value) return { field: 'password', message: t('login.passwordMissing') };
      if (!confirm.control.checked) return { field: 'confirm', message: t('account.confirmMissing') };
      return null;
    },
    send: async () => {
      try {
        await api.request('DELETE', '/me', { body: { password: password.control.value } });
      } catch (err) {
        password.control.value = '';
        if (err.code === 'invalid_credentials') {
          throw Object.assign(err, { field: 'password', message: t('account.erasePasswordWrong'), detail: null });
        }
        if (err.status === 404 || err.status === 405) {
          throw Object.assign(err, { message: t('account.eraseUnavailable'), detail: null });
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

function signInNotice() {
  return notice(withNodes(TEXT.signIn, {
    link: h('a', { href: `#/login?next=${encodeURIComponent('#/account')}` }, TEXT.signInLink),
  }), 'info');
}

export async function render(root) {
  setTitle(TEXT.title);
  if (!session.currentUser()) {
    append(root, pageHeading(TEXT.title), signInNotice());
    return;
  }
  let user = session.currentUser();
  try {
    user = (await api.get('/me')).user || user;
  } catch (err) {
    if (err.status === 401) {
      append(root, pageHeading(TEXT.title), signInNotice());
      return;
    }
    throw err;
  }
  const section = (id, title, ...content) => h('section', { class: 'account-section', 'aria-labelledby': id },
    h('h2', { id }, title), content);
  const tokens = tokenList();
  append(root,
    pageHeading(TEXT.title),
    section('account-profile', TEXT.profile, h('p', {}, TEXT.profileNote), profileSection(user)),
    section('account-tokens', TEXT.tokens, h('p', {}, TEXT.tokensIntro), h('p', {}, TEXT.tokensNote),
      tokens.wrap, tokenForm(() => tokens.load())),
    section('account-data', TEXT.data, h('p', {}, TEXT.dataIntro),
      downloadLink('/api/v1/me/export', TEXT.dataLink, { unavailable: TEXT.dataUnavailable })),
    section('account-erase', TEXT.erase, h('p', {}, TEXT.eraseIntro), h('p', {}, TEXT.eraseTip), eraseForm()));
  await tokens.load();
}
