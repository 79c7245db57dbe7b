// The moderation log: every moderation action, newest first, optionally for one target. Filtered on
// a participant, the page also holds the staff's tools for that account (suspend, lift a
// suspension, and for administrators the role), since the API has no page of its own for users.
import { append, h, withNodes } from '../dom.js';
import * as api from '../api.js';
import * as session from '../session.js';
import { intlLocale, t } from '../i18n.js';
import { objectives } from '../data.js';
import { brusselsInputToIso, brusselsTimeEl, charLength, isoToBrusselsInput, timeEl } from '../format.js';
import { FLAG_REASONS, flagReasonLabel, logActionLabel } from '../labels.js';
import { modTabs, staffGate } from '../mod-nav.js';
import { buttonRow, field, formErrors, onSubmit, uid } from '../forms.js';
import { authorName, loadMore, notice, pageHeading, roleLabel, setTitle } from '../ui.js';

const PAGE = 25;
const REASON_MAX = 500;
const TARGET_TYPES = ['post', 'thread', 'user', 'flag'];
const TARGET_LABELS = {
  post: t('modLog.type.post'),
  thread: t('modLog.type.thread'),
  user: t('modLog.type.user'),
  flag: t('modLog.type.flag'),
};

const userLogHref = (id) => `#/mod/log?target_type=user&target_id=${id}`;

function targetLabel(type, id) {
  switch (type) {
    case 'thread': return t('modLog.target.thread', { id });
    case 'post': return t('modLog.target.post', { id });
    case 'user': return t('modLog.target.user', { id });
    case 'flag': return t('modLog.target.flag', { id });
    default: return t('modLog.target.other', { type: String(type || ''), id });
  }
}

// A link where the front end has a page for the target: posts and flags through their thread,
// participants to their own history (and the tools that go with it).
function target(entry) {
  const id = String(entry.target_id);
  const label = targetLabel(entry.target_type, id);
  switch (entry.target_type) {
    case 'thread':
      return h('a', { href: `#/t/${id}` }, label);
    case 'post':
      return entry.thread_id ? h('a', { href: `#/t/${entry.thread_id}?post=${id}` }, label) : h('span', {}, label);
    case 'user':
      return h('a', { href: userLogHref(id) }, label);
    case 'flag':
      return entry.thread_id ? h('a', { href: `#/t/${entry.thread_id}` }, label) : h('span', {}, label);
    default:
      return h('span', {}, label);
  }
}

// Flag entries carry the flag's reason code ("off_topic"): show its wording instead.
function reasonText(e) {
  if (String(e.action).startsWith('flag') && FLAG_REASONS.some((r) => r.value === e.reason)) return flagReasonLabel(e.reason);
  return e.reason;
}

function entryItem(e) {
  return h('li', { class: 'log-entry' },
    h('p', { class: 'log-action' }, withNodes(t('modLog.entry'), {
      action: h('strong', {}, logActionLabel(e.action)), target: target(e),
    })),
    h('p', { class: 'meta meta--quiet' },
      h('span', {}, e.actor ? t('modLog.by', { name: authorName(e.actor) }) : t('modLog.automatic')),
      h('span', {}, timeEl(e.created_at))),
    e.reason ? h('p', { class: 'log-reason' },
      withNodes(t('modLog.reason'), { reason: h('span', {}, reasonText(e)) })) : null);
}

// Narrow the log to one thread, contribution, participant or flag (the API's target filter).
function filterForm(filter) {
  const form = h('form', { class: 'form log-filter', role: 'search', 'aria-label': t('modLog.filter.label') });
  const type = field({
    name: 'target_type', label: t('modLog.filter.type'), type: 'select', placeholder: t('modLog.filter.any'),
    options: TARGET_TYPES.map((v) => ({ value: v, label: TARGET_LABELS[v] })), value: filter.target_type || '',
  });
  const id = field({
    name: 'target_id', label: t('modLog.filter.id'), hint: t('modLog.filter.idHint'), value: filter.target_id || '',
    attrs: { inputmode: 'numeric', pattern: '[0-9]*', autocomplete: 'off' },
  });
  const submit = h('button', { type: 'submit', class: 'button' }, t('modLog.filter.apply'));
  const errors = formErrors(form);
  append(form, h('div', { class: 'filter-row' }, type.wrap, id.wrap), errors.region,
    buttonRow(submit, filter.target_type ? h('a', { href: '#/mod/log' }, t('modLog.filter.all')) : null));
  form.setAttribute('novalidate', '');
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    errors.clear();
    const ty = type.control.value;
    const n = id.control.value.trim();
    if (!ty && !n) {
      window.location.hash = '#/mod/log';
      return;
    }
    if (!ty) {
      errors.show({ field: 'target_type', message: t('modLog.filter.typeMissing') });
      return;
    }
    if (!/^[1-9]\d*$/.test(n)) {
      errors.show({ field: 'target_id', message: t('modLog.filter.idInvalid') });
      return;
    }
    window.location.hash = `#/mod/log?target_type=${ty}&target_id=${n}`;
  });
  return form;
}

// What the last answer said about the account (the API has no way to look a user up).
function userSummary(user) {
  const until = user.suspended_until && new Date(user.suspended_until) > new Date() ? user.suspended_until : null;
  return h('dl', { class: 'profile participant-summary' },
    h('div', { class: 'profile-row' }, h('dt', {}, t('account.field.displayName')), h('dd', {}, authorName(user))),
    h('div', { class: 'profile-row' }, h('dt', {}, t('account.field.role')), h('dd', {}, roleLabel(user.role))),
    user.role === 'moderator' ? h('div', { class: 'profile-row' }, h('dt', {}, t('modLog.user.scope')),
      h('dd', {}, Array.isArray(user.moderates) && user.moderates.length
        ? t('modLog.user.objectiveNumbers', {
          count: user.moderates.length,
          list: new Intl.ListFormat(intlLocale(), { type: 'conjunction' }).format(user.moderates.map(String)),
        })
        : t('modLog.user.scopeAll'))) : null,
    h('div', { class: 'profile-row' }, h('dt', {}, t('modLog.user.state')),
      h('dd', {}, until ? withNodes(t('modLog.user.suspendedUntil'), { date: brusselsTimeEl(until) }) : t('modLog.user.active'))));
}

function suspendForm(userId, show) {
  const form = h('form', { class: 'form', 'aria-labelledby': 'participant-suspend-title' });
  const until = field({
    name: 'until', label: t('modLog.user.until'), type: 'datetime-local', required: true, hint: t('modLog.user.untilHint'),
    attrs: { min: isoToBrusselsInput(new Date().toISOString()) },
  });
  const reason = field({
    name: 'reason', label: t('modLog.user.reason'), type: 'textarea', rows: 3, required: true,
    hint: t('modLog.user.reasonHint', { max: REASON_MAX }), attrs: { maxlength: String(REASON_MAX) },
  });
  const submit = h('button', { type: 'submit', class: 'button button--danger' }, t('modLog.user.suspend'));
  const errors = formErrors(form);
  append(form, h('h3', { id: 'participant-suspend-title', class: 'subheading' }, t('modLog.user.suspendTitle')),
    until.wrap, reason.wrap, errors.region, buttonRow(submit));
  onSubmit(form, {
    errors,
    button: submit,
    busyText: t('modLog.user.suspending'),
    validate: () => {
      const iso = brusselsInputToIso(until.control.value);
      if (!iso) return { field: 'until', message: t('modLog.user.untilMissing') };
      if (!(new Date(iso) > new Date())) return { field: 'until', message: t('modLog.user.untilPast') };
      const r = reason.control.value.trim();
      if (!r) return { field: 'reason', message: t('modLog.user.reasonMissing') };
      if (charLength(r) > REASON_MAX) return { field: 'reason', message: t('modLog.user.reasonTooLong', { max: REASON_MAX }) };
      return null;
    },
    send: async () => {
      const res = await api.post(`/users/${userId}/suspend`, {
        until: brusselsInputToIso(until.control.value), reason: reason.control.value.trim(),
      });
      reason.control.value = '';
      show(res.user, t('modLog.user.suspended', { name: authorName(res.user) }));
    },
  });
  return form;
}

function liftForm(userId, show) {
  const form = h('form', { class: 'form', 'aria-labelledby': 'participant-lift-title' });
  const reason = field({
    name: 'reason', label: t('modLog.user.reason'), hint: t('modLog.user.reasonHint', { max: REASON_MAX }),
    attrs: { maxlength: String(REASON_MAX) },
  });
  const submit = h('button', { type: 'submit', class: 'button button--secondary' }, t('modLog.user.lift'));
  const errors = formErrors(form);
  append(form, h('h3', { id: 'participant-lift-title', class: 'subheading' }, t('modLog.user.liftTitle')),
    h('p', { class: 'hint' }, t('modLog.user.liftHint')), reason.wrap, errors.region, buttonRow(submit));
  onSubmit(form, {
    errors,
    button: submit,
    busyText: t('modLog.user.lifting'),
    validate: () => (charLength(reason.control.value.trim()) > REASON_MAX
      ? { field: 'reason', message: t('modLog.user.reasonTooLong', { max: REASON_MAX }) } : null),
    send: async () => {
      const r = reason.control.value.trim();
      const res = await api.post(`/users/${userId}/unsuspend`, r ? { reason: r } : {});
      reason.control.value = '';
      show(res.user, t('modLog.user.lifted', { name: authorName(res.user) }));
    },
  });
  return form;
}

// Administrators only: member, moderator (of every objective or of some) or administrator.
async function roleForm(userId, show) {
  let list = [];
  try {
    list = await objectives();
  } catch {
    list = []; // Without the list, moderators can still be given every objective.
  }
  const form = h('form', { class: 'form', 'aria-labelledby': 'participant-role-title' });
  const role = field({
    name: 'role', label: t('modLog.user.role'), type: 'select', required: true, placeholder: t('register.choose'),
    options: ['member', 'moderator', 'admin'].map((v) => ({ value: v, label: roleLabel(v) })),
  });
  const scopeName = uid('scope');
  const radio = (value, label) => {
    const id = uid('scope');
    return h('div', { class: 'field--check' },
      h('input', { type: 'radio', id, name: scopeName, value, checked: value === 'all' }),
      h('label', { for: id }, label));
  };
  const boxes = list.map((o) => {
    const id = uid('objective');
    return h('div', { class: 'field--check' },
      h('input', { type: 'checkbox', id, name: 'moderates', value: String(o.id) }),
      h('label', { for: id }, t('modLog.user.objective', { number: String(o.number), title: o.title })));
  });
  const some = h('fieldset', { class: 'fieldset-nested', hidden: true },
    h('legend', {}, t('modLog.user.objectives')), boxes);
  const scope = h('fieldset', { class: 'fieldset', hidden: true },
    h('legend', {}, t('modLog.user.scope')),
    radio('all', t('modLog.user.scopeAll')),
    list.length ? radio('some', t('modLog.user.scopeSome')) : null,
    some);
  const sync = () => {
    scope.hidden = role.control.value !== 'moderator';
    const checked = form.querySelector(`input[name="${scopeName}"]:checked`);
    some.hidden = scope.hidden || !checked || checked.value !== 'some';
  };
  const submit = h('button', { type: 'submit', class: 'button' }, t('modLog.user.roleSave'));
  const errors = formErrors(form);
  append(form, h('h3', { id: 'participant-role-title', class: 'subheading' }, t('modLog.user.roleTitle')),
    role.wrap, scope, errors.region, buttonRow(submit));
  form.addEventListener('change', sync);
  onSubmit(form, {
    errors,
    button: submit,
    busyText: t('account.saving'),
    validate: () => {
      if (!role.control.value) return { field: 'role', message: t('modLog.user.roleMissing') };
      const checked = form.querySelector(`input[name="${scopeName}"]:checked`);
      if (role.control.value === 'moderator' && checked && checked.value === 'some'
        && !form.querySelector('input[name="moderates"]:checked')) {
        return { field: 'moderates', message: t('modLog.user.objectivesMissing') };
      }
      return null;
    },
    send: async () => {
      const body = { role: role.control.value };
      const checked = form.querySelector(`input[name="${scopeName}"]:checked`);
      if (body.role === 'moderator') {
        body.moderates = checked && checked.value === 'some'
          ? [...form.querySelectorAll('input[name="moderates"]:checked')].map((x) => Number(x.value))
          : null;
      }
      const res = await api.put(`/users/${userId}/role`, body);
      show(res.user, t('modLog.user.roleChanged', { name: authorName(res.user), role: roleLabel(res.user.role) }));
    },
  });
  return form;
}

async function participantTools(userId) {
  const canSuspend = session.canSuspend();
  const isAdmin = (session.currentUser() || {}).role === 'admin';
  if (!canSuspend && !isAdmin) return null;
  const status = h('div', { class: 'participant-status', role: 'status' });
  const show = (user, message) => {
    if (user) status.replaceChildren(h('p', {}, message), userSummary(user));
    else status.replaceChildren(h('p', {}, message));
  };
  const self = (session.currentUser() || {}).id === Number(userId);
  return h('section', { class: 'participant-tools', 'aria-labelledby': 'participant-tools-title' },
    h('h2', { id: 'participant-tools-title' }, t('modLog.user.title', { id: String(userId) })),
    h('p', { class: 'hint' }, t('modLog.user.intro')),
    status,
    self ? notice(t('modLog.user.self'), 'muted') : null,
    canSuspend && !self ? suspendForm(userId, show) : null,
    canSuspend && !self ? liftForm(userId, show) : null,
    isAdmin ? await roleForm(userId, show) : null);
}

export async function render(root, { query }) {
  if (!staffGate(root, t('modLog.title'))) return;
  const type = TARGET_TYPES.includes(query.get('target_type')) ? query.get('target_type') : null;
  const id = type && /^[1-9]\d*$/.test(query.get('target_id') || '') ? query.get('target_id') : null;
  const filter = type && id ? { target_type: type, target_id: id } : {};
  const first = await api.get('/mod/log', { limit: PAGE, ...filter });
  const targetName = filter.target_type ? targetLabel(filter.target_type, filter.target_id) : '';
  setTitle(filter.target_type ? t('modLog.titleFiltered', { target: targetName }) : t('modLog.title'));

  const list = h('ol', { class: 'log-list', 'aria-labelledby': 'log-heading' });
  const add = (entries) => entries.map((e) => {
    const li = entryItem(e);
    li.tabIndex = -1;
    list.append(li);
    return li;
  });
  add(first.entries);

  const scope = filter.target_type
    ? h('p', { class: 'log-scope' }, t('modLog.scope', { target: targetName }))
    : null;
  const tools = filter.target_type === 'user' ? await participantTools(filter.target_id) : null;

  append(root,
    pageHeading(t('modNav.heading')),
    modTabs('log'),
    filterForm(filter),
    tools,
    h('h2', { id: 'log-heading', class: tools ? null : 'visually-hidden' },
      filter.target_type ? t('modLog.headingFiltered') : t('modLog.title')),
    scope,
    first.entries.length ? list : notice(filter.target_type ? t('modLog.emptyFiltered') : t('modLog.empty'), 'muted'));

  let cursor = first.next_cursor;
  if (cursor) {
    append(root, loadMore(t('common.more'), async () => {
      const page = await api.get('/mod/log', { limit: PAGE, ...filter, cursor });
      cursor = page.next_cursor;
      const added = add(page.entries);
      if (added.length) added[0].focus();
      return !!cursor;
    }));
  }
}
