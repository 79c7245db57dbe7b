// What can be done to one contribution besides replying: edit, delete, flag, see earlier
// versions, and for moderators hide/unhide and suspend its author. Each opens an inline panel in
// the post's panel slot; the thread view redraws the post from what the server answers.
import { h, withNodes } from './dom.js';
import * as api from './api.js';
import * as session from './session.js';
import { buttonRow, field, formErrors, onSubmit, uid } from './forms.js';
import { brusselsInputToIso, brusselsTimeEl, charLength, isoToBrusselsInput, timeEl } from './format.js';
import { FLAG_REASONS } from './labels.js';
import { actionButton, confirmPanel, panel, panelSlot } from './panel.js';
import { authorName, loading, notice } from './ui.js';
import { checkBody, editorErrors, markdownField } from './composer.js';
import { t } from './i18n.js';

const REASON_MAX = 500;

// Who may do what with this post, from what the page knows. The server decides in the end; this
// only spares people buttons that would be refused.
export function permissions(post, thread) {
  const user = session.currentUser();
  const writer = session.canWrite();
  const staff = writer && session.moderates(thread.objective_id);
  const mine = !!user && !!post.author && post.author.id === user.id;
  const state = thread.consultation ? thread.consultation.state : null;
  const readable = !post.deleted && post.body_html !== null;
  return {
    staff,
    mine,
    edit: writer && readable && typeof post.body === 'string'
      && (staff || (mine && !post.hidden && !thread.locked && state !== 'closed')),
    remove: writer && mine && !post.deleted && state !== 'closed',
    flag: writer && !mine && !post.deleted && !post.hidden,
    hide: staff && !post.deleted && !post.hidden,
    unhide: staff && !post.deleted && !!post.hidden,
    revisions: !!post.edited_at && readable,
    suspend: session.canSuspend() && !session.suspension() && !!post.author && post.author.id !== null
      && post.author.id !== undefined && !mine,
  };
}

const cancelButton = (close) => h('button', { type: 'button', class: 'button button--secondary', on: { click: close } }, t('common.cancel'));

function editPanel(post, { mine, staff, onSaved, close }) {
  const form = h('form', { class: 'form form--wide' });
  const body = markdownField({
    label: t('postActions.editLabel'), rows: 10, value: post.body || '', lang: () => post.language || '',
  });
  const reason = staff && !mine ? field({
    name: 'reason', label: t('postActions.editReason'),
    hint: t('postActions.reasonHint', { max: REASON_MAX }),
  }) : null;
  const save = h('button', { type: 'submit', class: 'button' }, t('postActions.saveEdit'));
  const errors = editorErrors(form, body);
  form.append(body.wrap, ...(reason ? [reason.wrap] : []), errors.region, buttonRow(save, cancelButton(close)));
  body.control.setAttribute('data-autofocus', '');

  onSubmit(form, {
    errors,
    button: save,
    busyText: t('postActions.saving'),
    validate: () => {
      const text = body.control.value;
      const problem = checkBody(text, mine ? t('postActions.editEmptyOwn') : t('postActions.editEmpty'));
      if (problem) return problem;
      if (text === post.body) return { field: 'body', message: t('postActions.editUnchanged') };
      if (reason && charLength(reason.control.value.trim()) > REASON_MAX) {
        return { field: 'reason', message: t('postActions.reasonTooLong', { max: REASON_MAX }) };
      }
      return null;
    },
    send: async () => {
      const payload = { body: body.control.value };
      if (reason && reason.control.value.trim()) payload.reason = reason.control.value.trim();
      const res = await api.patch(`/posts/${post.id}`, payload);
      onSaved(res.post, t('postActions.edited'));
    },
  });
  return panel(mine ? t('postActions.editTitleOwn') : t('postActions.editTitleModerator'), form);
}

function flagPanel(post, { onFlagged, close }) {
  const form = h('form', { class: 'form' });
  const radios = FLAG_REASONS.map((r) => {
    const id = uid('flag-reason');
    return { value: r.value, input: h('input', { type: 'radio', name: 'reason', id, value: r.value }), label: r.label, id };
  });
  const group = h('fieldset', { class: 'fieldset' },
    h('legend', {}, t('postActions.flagQuestion')),
    radios.map((r) => h('div', { class: 'field field--check' }, r.input, h('label', { for: r.id }, r.label))));
  const text = field({
    name: 'text', label: t('postActions.flagDetails'), type: 'textarea', rows: 3,
    hint: t('postActions.flagDetailsHint', { max: REASON_MAX }),
  });
  const submit = h('button', { type: 'submit', class: 'button' }, t('postActions.flagSubmit'));
  const errors = formErrors(form);
  form.append(
    h('p', { class: 'hint' }, t('postActions.flagIntro')),
    group, text.wrap, errors.region, buttonRow(submit, cancelButton(close)));
  const chosen = () => (radios.find((r) => r.input.checked) || {}).value || '';

  onSubmit(form, {
    errors,
    button: submit,
    busyText: t('postActions.sending'),
    validate: () => {
      const reason = chosen();
      const details = text.control.value.trim();
      if (!reason) {
        radios[0].input.focus();
        return { message: t('postActions.flagNoReason') };
      }
      if (reason === 'other' && !details) return { field: 'text', message: t('postActions.flagDetailsMissing') };
      if (charLength(details) > REASON_MAX) return { field: 'text', message: t('postActions.flagDetailsTooLong', { max: REASON_MAX }) };
      return null;
    },
    send: async () => {
      const payload = { reason: chosen() };
      const details = text.control.value.trim();
      if (details) payload.text = details;
      await api.post(`/posts/${post.id}/flags`, payload);
      onFlagged();
    },
  });
  return panel(t('postActions.flagTitle'), form);
}

function hidePanel(post, { onSaved, close }) {
  const form = h('form', { class: 'form' });
  const reason = field({
    name: 'reason', label: t('postActions.hideReason'), type: 'textarea', rows: 3, required: true,
    hint: t('postActions.reasonHint', { max: REASON_MAX }),
  });
  const submit = h('button', { type: 'submit', class: 'button button--danger' }, t('postActions.hideSubmit'));
  const errors = formErrors(form);
  form.append(
    h('p', { class: 'hint' }, t('postActions.hideIntro')),
    reason.wrap, errors.region, buttonRow(submit, cancelButton(close)));
  onSubmit(form, {
    errors,
    button: submit,
    busyText: t('postActions.hiding'),
    validate: () => {
      const r = reason.control.value.trim();
      if (!r) return { field: 'reason', message: t('postActions.hideReasonMissing') };
      if (charLength(r) > REASON_MAX) return { field: 'reason', message: t('postActions.reasonTooLong', { max: REASON_MAX }) };
      return null;
    },
    send: async () => {
      const res = await api.post(`/posts/${post.id}/hide`, { reason: reason.control.value.trim() });
      onSaved(res.post, t('postActions.hidden'));
    },
  });
  return panel(t('postActions.hideTitle'), form);
}

// "Version 2, replaced 3 May 2026, 10:00 by Anna (moderator)".
function revisionLine(r, i) {
  const nodes = { version: h('strong', {}, t('postActions.version', { number: i + 1 })), date: timeEl(r.edited_at) };
  if (r.editor) nodes.name = authorName(r.editor);
  if (r.editor && r.by_moderator) return withNodes(t('postActions.revisionByModerator'), nodes);
  if (r.editor) return withNodes(t('postActions.revisionBy'), nodes);
  if (r.by_moderator) return withNodes(t('postActions.revisionModerator'), nodes);
  return withNodes(t('postActions.revision'), nodes);
}

function revisionsPanel(post, close) {
  const body = h('div', { class: 'revisions', 'aria-live': 'polite', 'aria-busy': 'true' }, loading(t('postActions.revisionsLoading')));
  const closeButton = h('button', { type: 'button', class: 'button button--secondary', 'data-autofocus': true, on: { click: close } },
    t('postActions.revisionsClose'));
  api.get(`/posts/${post.id}/revisions`).then(({ revisions }) => {
    body.removeAttribute('aria-busy');
    if (!revisions.length) {
      body.replaceChildren(h('p', {}, t('postActions.revisionsNone')));
      return;
    }
    body.replaceChildren(h('ol', { class: 'revision-list' }, revisions.map((r, i) => h('li', { class: 'revision' },
      h('p', { class: 'meta' }, revisionLine(r, i)),
      // The Markdown source as plain text: revisions come without rendered HTML.
      r.body === null || r.body === undefined
        ? h('p', { class: 'placeholder' }, t('postActions.revisionUnavailable'))
        : h('pre', { class: 'revision-body' }, r.body)))));
  }).catch((err) => {
    body.removeAttribute('aria-busy');
    body.replaceChildren(notice(err.message, 'error', { role: 'alert' }));
  });
  return panel(t('postActions.revisionsTitle'), body, h('div', { class: 'form-actions' }, closeButton));
}

// Suspend or unsuspend the author of a post. The post's user summary does not say whether the
// person is suspended now, so both actions are offered and the answer says what happened.
function participantPanel(author, close) {
  const name = authorName(author);
  const status = h('div', { class: 'participant-status', role: 'status' });
  const form = h('form', { class: 'form' });
  const until = field({
    name: 'until', label: t('postActions.suspendUntil'), type: 'datetime-local', required: true,
    attrs: { min: isoToBrusselsInput(new Date().toISOString()) },
    hint: t('postActions.suspendUntilHint'),
  });
  const reason = field({
    name: 'reason', label: t('postActions.suspendReason'), type: 'textarea', rows: 3, required: true,
    hint: t('postActions.suspendReasonHint', { max: REASON_MAX }),
  });
  const submit = h('button', { type: 'submit', class: 'button button--danger' }, t('postActions.suspendSubmit'));
  const errors = formErrors(form);
  form.append(until.wrap, reason.wrap, errors.region, buttonRow(submit));

  const said = (user, fallback) => {
    const until2 = user && user.suspended_until;
    status.replaceChildren(h('p', {}, until2 && new Date(until2) > new Date()
      ? withNodes(t('postActions.suspendedUntil'), { name, date: brusselsTimeEl(until2) })
      : fallback));
  };

  onSubmit(form, {
    errors,
    button: submit,
    busyText: t('postActions.suspending'),
    validate: () => {
      const iso = brusselsInputToIso(until.control.value);
      if (!iso) return { field: 'until', message: t('postActions.suspendUntilMissing') };
      if (!(new Date(iso) > new Date())) return { field: 'until', message: t('postActions.suspendUntilPast') };
      const r = reason.control.value.trim();
      if (!r) return { field: 'reason', message: t('postActions.suspendReasonMissing') };
      if (charLength(r) > REASON_MAX) return { field: 'reason', message: t('postActions.reasonTooLong', { max: REASON_MAX }) };
      return null;
    },
    send: async () => {
      const res = await api.post(`/users/${author.id}/suspend`, {
        until: brusselsInputToIso(until.control.value), reason: reason.control.value.trim(),
      });
      said(res.user, t('postActions.suspended', { name }));
      reason.control.value = '';
    },
  });

  const liftErrors = h('div', { class: 'form-alert', role: 'alert' });
  const lift = h('button', { type: 'button', class: 'button button--secondary' }, t('postActions.liftSubmit'));
  lift.addEventListener('click', async () => {
    if (lift.disabled) return;
    liftErrors.replaceChildren();
    liftErrors.className = 'form-alert';
    lift.disabled = true;
    try {
      const res = await api.post(`/users/${author.id}/unsuspend`, {});
      said(res.user, t('postActions.lifted', { name }));
    } catch (err) {
      liftErrors.classList.add('is-error');
      liftErrors.append(h('p', {}, err.message));
    } finally {
      lift.disabled = false;
    }
  });
  const done = h('button', { type: 'button', class: 'link-button', on: { click: close } }, t('postActions.close'));

  return panel(t('postActions.participantTitle', { name }),
    status,
    h('h4', { class: 'panel-subtitle' }, t('postActions.suspendHeading')),
    form,
    h('h4', { class: 'panel-subtitle' }, t('postActions.liftHeading')),
    h('p', { class: 'hint' }, t('postActions.liftHint', { name })),
    liftErrors,
    h('div', { class: 'form-actions' }, lift, done));
}

// Everything the thread view places on one post. ctx: { thread, onChange(post, message) } where
// onChange redraws the post from the server's answer and announces the message.
export function postControls(post, { thread, onChange }) {
  const can = permissions(post, thread);
  const slot = panelSlot('panel-slot');
  const actions = [];
  const saved = (updated, message) => {
    slot.close({ restoreFocus: false });
    onChange(updated, message);
  };

  if (can.edit) {
    actions.push(actionButton(t('postActions.edit'), (btn) => slot.open(btn,
      (close) => editPanel(post, { mine: can.mine, staff: can.staff, onSaved: saved, close }))));
  }
  if (can.remove) {
    actions.push(actionButton(t('postActions.withdraw'), (btn) => slot.open(btn, (close) => confirmPanel({
      title: t('postActions.withdrawTitle'),
      message: t('postActions.withdrawMessage'),
      confirmLabel: t('postActions.withdrawConfirm'),
      busyText: t('postActions.withdrawing'),
      close,
      onConfirm: async () => {
        await api.del(`/posts/${post.id}`);
        saved({ ...post, deleted: true, body: null, body_html: null }, t('postActions.withdrawn'));
      },
    })), { kind: 'danger' }));
  }
  if (can.flag) {
    const flagButton = actionButton(t('postActions.flag'), (btn) => slot.open(btn, (close) => flagPanel(post, {
      close,
      onFlagged: () => {
        slot.close({ restoreFocus: false });
        const done = h('span', { class: 'action-done', tabindex: '-1' }, t('postActions.flagged'));
        flagButton.replaceWith(done);
        done.focus();
      },
    })));
    actions.push(flagButton);
  }
  if (can.hide) {
    actions.push(actionButton(t('postActions.hide'), (btn) => slot.open(btn, (close) => hidePanel(post, { onSaved: saved, close })),
      { kind: 'danger' }));
  }
  if (can.unhide) {
    const unhide = actionButton(t('postActions.unhide'), async () => {
      if (unhide.disabled) return;
      unhide.disabled = true;
      try {
        const res = await api.post(`/posts/${post.id}/unhide`, {});
        saved(res.post, t('postActions.unhidden'));
      } catch (err) {
        unhide.disabled = false;
        slot.open(unhide, () => panel(t('postActions.unhideFailed'),
          notice(err.message, 'error', { role: 'alert' })));
      }
    }, { disclosure: false });
    actions.push(unhide);
  }

  const revisionsButton = can.revisions
    ? actionButton(t('postActions.revisions'), (btn) => slot.open(btn, (close) => revisionsPanel(post, close)))
    : null;

  let nameNode = null;
  if (can.suspend) {
    nameNode = h('button', {
      type: 'button', class: 'link-button byline-name byline-menu', 'aria-expanded': 'false',
    }, authorName(post.author), h('span', { class: 'visually-hidden' }, t('postActions.participantActions')));
    nameNode.addEventListener('click', () => slot.open(nameNode, (close) => participantPanel(post.author, close)));
  }

  return { slot: slot.el, actions, revisionsButton, nameNode, can };
}
