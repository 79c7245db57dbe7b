// The signed-in person's account: their profile (shown and editable), changing the password, the
// browsers where they are signed in (each can be signed out), API tokens for scripts, a copy of
// every piece of data the forum holds about them, and erasing the account.
import { append, h, withNodes } from '../dom.js';
import * as api from '../api.js';
import * as session from '../session.js';
import { t } from '../i18n.js';
import { countryGroups, countryName, EU_STATES } from '../countries.js';
import { charLength, formatDateTime, timeEl } from '../format.js';
import { buttonRow, checkbox, field, formErrors, onSubmit } from '../forms.js';
import { stakeholderLabel } from '../labels.js';
import { announce, badge, loadMore, notice, pageHeading, roleLabel, setTitle } from '../ui.js';
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
  pwTitle: t('account.changePassword.title'),
  pwIntro: t('account.changePassword.intro'),
  pwTokens: t('account.changePassword.tokens'),
  pwCurrent: t('account.changePassword.current'),
  pwNew: t('account.changePassword.new'),
  pwRepeat: t('account.changePassword.repeat'),
  pwSubmit: t('account.changePassword.submit'),
  pwBusy: t('account.changePassword.busy'),
  pwChanged: t('account.changePassword.changed'),
  sessions: t('account.sessions.title'),
  sessionsIntro: t('account.sessions.intro'),
  sessionsUnavailable: t('account.sessions.unavailable'),
  sessionsNone: t('account.sessions.none'),
  thisBrowser: t('account.sessions.current'),
  signOut: t('account.sessions.signOut'),
  signingOut: t('account.sessions.signingOut'),
  others: t('account.sessions.others'),
  othersDone: t('account.sessions.othersDone'),
  signedOutHere: t('account.sessions.signedOutHere'),
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

// Changing the password (POST /me/password). The server ends every session of the account, this
// one included, and answers with a new session cookie and CSRF token for this browser.
function passwordForm(user, { onChanged }) {
  const form = h('form', { class: 'form password-form' });
  // For password managers: which account the new password belongs to (not shown, not focusable).
  const username = h('input', {
    type: 'text', name: 'username', autocomplete: 'username', value: user.email || '', hidden: true, readonly: true,
    tabindex: '-1',
  });
  const current = field({
    name: 'current_password', label: TEXT.pwCurrent, type: 'password', required: true, autocomplete: 'current-password',
  });
  const next = field({
    name: 'new_password', label: TEXT.pwNew, type: 'password', required: true, autocomplete: 'new-password',
    hint: t('register.passwordHint'),
  });
  const repeat = field({
    name: 'confirm_password', label: TEXT.pwRepeat, type: 'password', required: true, autocomplete: 'new-password',
  });
  const submit = h('button', { type: 'submit', class: 'button' }, TEXT.pwSubmit);
  const errors = formErrors(form);
  const result = h('div', { class: 'password-result' });
  form.append(username, current.wrap, next.wrap, repeat.wrap, errors.region, buttonRow(submit));
  const clearAll = () => [current, next, repeat].forEach((f) => { f.control.value = ''; });

  onSubmit(form, {
    errors,
    button: submit,
    busyText: TEXT.pwBusy,
    validate: () => {
      result.replaceChildren();
      const now = current.control.value;
      const wanted = next.control.value;
      const n = charLength(wanted);
      if (!now) return { field: 'current_password', message: t('account.changePassword.currentMissing') };
      if (!wanted) return { field: 'new_password', message: t('account.changePassword.newMissing') };
      if (n < 12 || n > 128) return { field: 'new_password', message: t('register.passwordLength') };
      if (wanted === now) return { field: 'new_password', message: t('account.changePassword.same') };
      if (!repeat.control.value) return { field: 'confirm_password', message: t('account.changePassword.repeatMissing') };
      if (repeat.control.value !== wanted) return { field: 'confirm_password', message: t('account.changePassword.mismatch') };
      return null;
    },
    send: async () => {
      let res;
      try {
        res = await api.post('/me/password', { current_password: current.control.value, new_password: next.control.value });
      } catch (err) {
        if (err.code === 'invalid_credentials') {
          current.control.value = '';
          throw Object.assign(err, { field: 'current_password', message: t('account.changePassword.currentWrong'), detail: null });
        }
        if (err.status === 404 || err.status === 405) {
          throw Object.assign(err, { message: t('account.changePassword.unavailable'), detail: null });
        }
        throw err;
      }
      clearAll();
      // Writes from now on need the new session's CSRF token.
      session.renewed(res && res.user, res && res.csrf_token);
      result.replaceChildren(notice(TEXT.pwChanged, 'ok'));
      announce(TEXT.pwChanged);
      onChanged();
    },
  });
  return h('div', {}, form, result);
}

// This browser's session is gone: forget it here and go to the sign-in page, which says why.
function signedOutHere() {
  session.forget();
  setFlash(TEXT.signedOutHere, 'ok');
  window.location.hash = `#/login?next=${encodeURIComponent('#/account')}`;
}

// The account's sessions (GET /me/sessions): this browser first, then the most recently active.
// Each can be signed out (DELETE /me/sessions/{id}); "Sign out everywhere else" signs out all but
// this browser's.
function sessionList(heading) {
  const status = h('div', { class: 'token-list-status' });
  const list = h('ul', { class: 'token-list session-list', 'aria-labelledby': heading.id });
  const alert = h('p', { class: 'field-error session-list-error', role: 'alert' });
  const others = h('button', { type: 'button', class: 'button button--secondary session-others' }, TEXT.others);
  const othersRow = h('div', { class: 'form-actions', hidden: true }, others);
  const wrap = h('div', { class: 'token-list-wrap session-list-wrap' }, status, list, alert, othersRow);
  let sessions = [];

  const updateOthers = () => { othersRow.hidden = !sessions.some((s) => !s.current); };

  function item(s) {
    const started = formatDateTime(s.created_at);
    // The visible word, and which session for those who hear the button out of its row.
    const button = h('button', {
      type: 'button', class: 'button button--secondary button--small session-revoke',
      'aria-label': s.current
        ? t('account.sessions.signOutCurrentNamed', { date: started })
        : t('account.sessions.signOutNamed', { date: started }),
    }, TEXT.signOut);
    const error = h('p', { class: 'field-error token-error', role: 'alert' });
    const li = h('li', { class: ['token', 'session', s.current && 'session--current'], dataset: { sessionId: String(s.id) } },
      h('div', { class: 'token-info' },
        h('p', { class: 'token-name' },
          withNodes(t('account.sessions.started'), { date: timeEl(s.created_at) }),
          s.current ? [' ', badge(TEXT.thisBrowser, 'current')] : null),
        s.last_seen_at
          ? h('p', { class: 'meta meta--quiet' }, withNodes(t('account.sessions.lastActive'), { date: timeEl(s.last_seen_at) }))
          : null),
      h('div', { class: 'token-actions' }, button),
      error);
    button.addEventListener('click', async () => {
      if (button.disabled) return;
      error.textContent = '';
      alert.textContent = '';
      button.disabled = true;
      button.textContent = TEXT.signingOut;
      try {
        await api.del(`/me/sessions/${encodeURIComponent(s.id)}`);
      } catch (err) {
        button.disabled = false;
        button.textContent = TEXT.signOut;
        if (err.status !== 404) {
          error.textContent = err.message;
          return;
        }
        // 404: it had ended already (signed out there, or expired): gone all the same.
      }
      if (s.current) {
        signedOutHere();
        return;
      }
      // Focus goes to the next other session's button, never to this browser's own: a second
      // press of Enter must not sign this browser out.
      const neighbour = [li.nextElementSibling, li.previousElementSibling]
        .find((el) => el && !el.classList.contains('session--current'));
      li.remove();
      sessions = sessions.filter((x) => x.id !== s.id);
      updateOthers();
      announce(t('account.sessions.signedOut', { date: started }));
      if (neighbour) neighbour.querySelector('.session-revoke').focus();
      else heading.focus();
    });
    return li;
  }

  async function load() {
    list.replaceChildren();
    othersRow.hidden = true;
    status.replaceChildren(h('p', { class: 'loading' }, t('common.loading')));
    try {
      sessions = ((await api.get('/me/sessions')).sessions || []).slice();
    } catch (err) {
      sessions = [];
      status.replaceChildren(h('p', {}, err.status === 404 || err.status === 405 ? TEXT.sessionsUnavailable : err.message));
      return;
    }
    const last = (s) => Date.parse(s.last_seen_at || s.created_at) || 0;
    sessions.sort((a, b) => (b.current - a.current) || (last(b) - last(a)) || (b.id - a.id));
    status.replaceChildren(sessions.length ? '' : h('p', {}, TEXT.sessionsNone));
    sessions.forEach((s) => list.append(item(s)));
    updateOthers();
  }

  others.addEventListener('click', async () => {
    if (others.disabled) return;
    alert.textContent = '';
    others.disabled = true;
    others.textContent = TEXT.signingOut;
    let failed = null;
    for (const s of sessions.filter((x) => !x.current)) {
      try {
        await api.del(`/me/sessions/${encodeURIComponent(s.id)}`);
      } catch (err) {
        if (err.status !== 404) {
          failed = err;
          break;
        }
      }
    }
    others.disabled = false;
    others.textContent = TEXT.others;
    await load();
    if (failed) {
      alert.textContent = failed.message;
      return;
    }
    status.replaceChildren(h('p', {}, TEXT.othersDone));
    announce(TEXT.othersDone);
    heading.focus();
  });

  return { wrap, load };
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
  // Headings take focus (tabindex -1, no tab stop) when what was under them goes away.
  const heading = (id, title) => h('h2', { id, tabindex: '-1' }, title);
  const section = (id, title, ...content) => h('section', { class: 'account-section', 'aria-labelledby': id },
    typeof title === 'string' ? heading(id, title) : title, content);
  const tokens = tokenList();
  const sessionsHeading = heading('account-sessions', TEXT.sessions);
  const sessions = sessionList(sessionsHeading);
  append(root,
    pageHeading(TEXT.title),
    section('account-profile', TEXT.profile, h('p', {}, TEXT.profileNote), profileSection(user)),
    section('account-password', TEXT.pwTitle, h('p', {}, TEXT.pwIntro), h('p', {}, TEXT.pwTokens),
      passwordForm(user, { onChanged: () => sessions.load() })),
    section('account-sessions', sessionsHeading, h('p', {}, TEXT.sessionsIntro), sessions.wrap),
    section('account-tokens', TEXT.tokens, h('p', {}, TEXT.tokensIntro), h('p', {}, TEXT.tokensNote),
      tokens.wrap, tokenForm(() => tokens.load())),
    section('account-data', TEXT.data, h('p', {}, TEXT.dataIntro),
      downloadLink('/api/v1/me/export', TEXT.dataLink, { unavailable: TEXT.dataUnavailable })),
    section('account-erase', TEXT.erase, h('p', {}, TEXT.eraseIntro), h('p', {}, TEXT.eraseTip), eraseForm()));
  await Promise.all([sessions.load(), tokens.load()]);
}
