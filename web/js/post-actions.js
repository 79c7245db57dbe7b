// What can be done to one contribution besides replying: edit, delete, flag, see earlier
// versions, and for moderators hide/unhide and suspend its author. Each opens an inline panel in
// the post's panel slot; the thread view redraws the post from what the server answers.
import { h } from './dom.js';
import * as api from './api.js';
import * as session from './session.js';
import { buttonRow, field, formErrors, onSubmit, uid } from './forms.js';
import { brusselsInputToIso, brusselsTimeEl, charLength, isoToBrusselsInput, timeEl } from './format.js';
import { FLAG_REASONS } from './labels.js';
import { actionButton, confirmPanel, panel, panelSlot } from './panel.js';
import { authorName, loading, notice } from './ui.js';

const BODY_MAX = 50000;
const REASON_MAX = 500;
const MARKDOWN_HINT = 'Formatting uses Markdown: **bold**, *italic*, "> " for a quotation, "- " for a list, '
  + '[text](https://…) for a link. Up to 50,000 characters.';

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

const cancelButton = (close) => h('button', { type: 'button', class: 'button button--secondary', on: { click: close } }, 'Cancel');

function editPanel(post, { mine, staff, onSaved, close }) {
  const form = h('form', { class: 'form form--wide' });
  const body = field({
    name: 'body', label: 'Text of the contribution', type: 'textarea', required: true, rows: 10,
    value: post.body || '', hint: MARKDOWN_HINT,
  });
  const reason = staff && !mine ? field({
    name: 'reason', label: 'Reason for the edit',
    hint: 'Recorded in the moderation log. Up to 500 characters.',
  }) : null;
  const save = h('button', { type: 'submit', class: 'button' }, 'Save changes');
  const errors = formErrors(form);
  form.append(body.wrap, ...(reason ? [reason.wrap] : []), errors.region, buttonRow(save, cancelButton(close)));
  body.control.setAttribute('data-autofocus', '');

  onSubmit(form, {
    errors,
    button: save,
    busyText: 'Saving…',
    validate: () => {
      const text = body.control.value;
      if (!text.trim()) return { field: 'body', message: 'The text cannot be empty. To remove the contribution, delete it.' };
      if (charLength(text) > BODY_MAX) return { field: 'body', message: 'The text is longer than 50,000 characters.' };
      if (text === post.body) return { field: 'body', message: 'You have not changed anything yet.' };
      if (reason && charLength(reason.control.value.trim()) > REASON_MAX) {
        return { field: 'reason', message: 'The reason is longer than 500 characters.' };
      }
      return null;
    },
    send: async () => {
      const payload = { body: body.control.value };
      if (reason && reason.control.value.trim()) payload.reason = reason.control.value.trim();
      const res = await api.patch(`/posts/${post.id}`, payload);
      onSaved(res.post, 'Your changes are saved.');
    },
  });
  return panel(mine ? 'Edit your contribution' : 'Edit this contribution as moderator', form);
}

function flagPanel(post, { onFlagged, close }) {
  const form = h('form', { class: 'form' });
  const radios = FLAG_REASONS.map((r) => {
    const id = uid('flag-reason');
    return { value: r.value, input: h('input', { type: 'radio', name: 'reason', id, value: r.value }), label: r.label, id };
  });
  const group = h('fieldset', { class: 'fieldset' },
    h('legend', {}, 'What is wrong with this contribution?'),
    radios.map((r) => h('div', { class: 'field field--check' }, r.input, h('label', { for: r.id }, r.label))));
  const text = field({
    name: 'text', label: 'Details', type: 'textarea', rows: 3,
    hint: 'Required if you choose \u201csomething else\u201d. Up to 500 characters. Only the moderators see it.',
  });
  const submit = h('button', { type: 'submit', class: 'button' }, 'Send to the moderators');
  const errors = formErrors(form);
  form.append(
    h('p', { class: 'hint' }, 'The moderators will review the contribution. The author is not told who flagged it.'),
    group, text.wrap, errors.region, buttonRow(submit, cancelButton(close)));
  const chosen = () => (radios.find((r) => r.input.checked) || {}).value || '';

  onSubmit(form, {
    errors,
    button: submit,
    busyText: 'Sending…',
    validate: () => {
      const reason = chosen();
      const t = text.control.value.trim();
      if (!reason) {
        radios[0].input.focus();
        return { message: 'Choose what is wrong with the contribution.' };
      }
      if (reason === 'other' && !t) return { field: 'text', message: 'Please explain what is wrong: the details are required for \u201csomething else\u201d.' };
      if (charLength(t) > REASON_MAX) return { field: 'text', message: 'The details are longer than 500 characters.' };
      return null;
    },
    send: async () => {
      const payload = { reason: chosen() };
      const t = text.control.value.trim();
      if (t) payload.text = t;
      await api.post(`/posts/${post.id}/flags`, payload);
      onFlagged();
    },
  });
  return panel('Flag this contribution for the moderators', form);
}

function hidePanel(post, { onSaved, close }) {
  const form = h('form', { class: 'form' });
  const reason = field({
    name: 'reason', label: 'Reason for hiding', type: 'textarea', rows: 3, required: true,
    hint: 'Recorded in the moderation log. Up to 500 characters.',
  });
  const submit = h('button', { type: 'submit', class: 'button button--danger' }, 'Hide contribution');
  const errors = formErrors(form);
  form.append(
    h('p', { class: 'hint' }, 'The public will see \u201cHidden by a moderator\u201d instead of the text. Moderators can still read it and make it visible again.'),
    reason.wrap, errors.region, buttonRow(submit, cancelButton(close)));
  onSubmit(form, {
    errors,
    button: submit,
    busyText: 'Hiding…',
    validate: () => {
      const r = reason.control.value.trim();
      if (!r) return { field: 'reason', message: 'Give a reason for hiding the contribution.' };
      if (charLength(r) > REASON_MAX) return { field: 'reason', message: 'The reason is longer than 500 characters.' };
      return null;
    },
    send: async () => {
      const res = await api.post(`/posts/${post.id}/hide`, { reason: reason.control.value.trim() });
      onSaved(res.post, 'The contribution is hidden from the public.');
    },
  });
  return panel('Hide this contribution', form);
}

function revisionsPanel(post, close) {
  const body = h('div', { class: 'revisions', 'aria-live': 'polite', 'aria-busy': 'true' }, loading('Loading earlier versions…'));
  const closeButton = h('button', { type: 'button', class: 'button button--secondary', 'data-autofocus': true, on: { click: close } },
    'Close earlier versions');
  api.get(`/posts/${post.id}/revisions`).then(({ revisions }) => {
    body.removeAttribute('aria-busy');
    if (!revisions.length) {
      body.replaceChildren(h('p', {}, 'No earlier version is recorded.'));
      return;
    }
    body.replaceChildren(h('ol', { class: 'revision-list' }, revisions.map((r, i) => h('li', { class: 'revision' },
      h('p', { class: 'meta' },
        h('strong', {}, `Version ${i + 1}`), ', replaced ', timeEl(r.edited_at),
        r.editor ? [' by ', authorName(r.editor)] : null,
        r.by_moderator ? ' (moderator)' : null),
      // The Markdown source as plain text: revisions come without rendered HTML.
      r.body === null || r.body === undefined
        ? h('p', { class: 'placeholder' }, 'The text of this version is not available.')
        : h('pre', { class: 'revision-body' }, r.body)))));
  }).catch((err) => {
    body.removeAttribute('aria-busy');
    body.replaceChildren(notice(err.message, 'error', { role: 'alert' }));
  });
  return panel('Earlier versions of this contribution', body, h('div', { class: 'form-actions' }, closeButton));
}

// Suspend or unsuspend the author of a post. The post's user summary does not say whether the
// person is suspended now, so both actions are offered and the answer says what happened.
function participantPanel(author, close) {
  const name = authorName(author);
  const status = h('div', { class: 'participant-status', role: 'status' });
  const form = h('form', { class: 'form' });
  const until = field({
    name: 'until', label: 'Suspended until (Brussels time)', type: 'datetime-local', required: true,
    attrs: { min: isoToBrusselsInput(new Date().toISOString()) },
    hint: 'The person can read and sign in, but cannot write until then.',
  });
  const reason = field({
    name: 'reason', label: 'Reason', type: 'textarea', rows: 3, required: true,
    hint: 'Shown to the person and recorded in the moderation log. Up to 500 characters.',
  });
  const submit = h('button', { type: 'submit', class: 'button button--danger' }, 'Suspend');
  const errors = formErrors(form);
  form.append(until.wrap, reason.wrap, errors.region, buttonRow(submit));

  const said = (user, fallback) => {
    const until2 = user && user.suspended_until;
    status.replaceChildren(h('p', {}, until2 && new Date(until2) > new Date()
      ? [`${name} is suspended until `, brusselsTimeEl(until2), '.']
      : fallback));
  };

  onSubmit(form, {
    errors,
    button: submit,
    busyText: 'Suspending…',
    validate: () => {
      const iso = brusselsInputToIso(until.control.value);
      if (!iso) return { field: 'until', message: 'Choose the date and time the suspension ends.' };
      if (!(new Date(iso) > new Date())) return { field: 'until', message: 'The end of the suspension must be in the future.' };
      const r = reason.control.value.trim();
      if (!r) return { field: 'reason', message: 'Give a reason for the suspension.' };
      if (charLength(r) > REASON_MAX) return { field: 'reason', message: 'The reason is longer than 500 characters.' };
      return null;
    },
    send: async () => {
      const res = await api.post(`/users/${author.id}/suspend`, {
        until: brusselsInputToIso(until.control.value), reason: reason.control.value.trim(),
      });
      said(res.user, `${name} is suspended.`);
      reason.control.value = '';
    },
  });

  const liftErrors = h('div', { class: 'form-alert', role: 'alert' });
  const lift = h('button', { type: 'button', class: 'button button--secondary' }, 'Lift the suspension');
  lift.addEventListener('click', async () => {
    if (lift.disabled) return;
    liftErrors.replaceChildren();
    liftErrors.className = 'form-alert';
    lift.disabled = true;
    try {
      const res = await api.post(`/users/${author.id}/unsuspend`, {});
      said(res.user, `${name} is no longer suspended.`);
    } catch (err) {
      liftErrors.classList.add('is-error');
      liftErrors.append(h('p', {}, err.message));
    } finally {
      lift.disabled = false;
    }
  });
  const done = h('button', { type: 'button', class: 'link-button', on: { click: close } }, 'Close');

  return panel(`Participant: ${name}`,
    status,
    h('h4', { class: 'panel-subtitle' }, 'Suspend'),
    form,
    h('h4', { class: 'panel-subtitle' }, 'Lift a suspension'),
    h('p', { class: 'hint' }, `If ${name} is suspended, this ends the suspension now.`),
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
    actions.push(actionButton('Edit', (btn) => slot.open(btn,
      (close) => editPanel(post, { mine: can.mine, staff: can.staff, onSaved: saved, close }))));
  }
  if (can.remove) {
    actions.push(actionButton('Delete', (btn) => slot.open(btn, (close) => confirmPanel({
      title: 'Delete your contribution?',
      message: 'Its text will be removed for everyone and it will show as withdrawn by its author. This cannot be undone.',
      confirmLabel: 'Yes, delete it',
      busyText: 'Deleting…',
      close,
      onConfirm: async () => {
        await api.del(`/posts/${post.id}`);
        saved({ ...post, deleted: true, body: null, body_html: null }, 'Your contribution is deleted.');
      },
    })), { kind: 'danger' }));
  }
  if (can.flag) {
    const flagButton = actionButton('Flag', (btn) => slot.open(btn, (close) => flagPanel(post, {
      close,
      onFlagged: () => {
        slot.close({ restoreFocus: false });
        const done = h('span', { class: 'action-done', tabindex: '-1' }, 'Flagged: thank you, the moderators will review it');
        flagButton.replaceWith(done);
        done.focus();
      },
    })));
    actions.push(flagButton);
  }
  if (can.hide) {
    actions.push(actionButton('Hide', (btn) => slot.open(btn, (close) => hidePanel(post, { onSaved: saved, close })),
      { kind: 'danger' }));
  }
  if (can.unhide) {
    const unhide = actionButton('Unhide', async () => {
      if (unhide.disabled) return;
      unhide.disabled = true;
      try {
        const res = await api.post(`/posts/${post.id}/unhide`, {});
        saved(res.post, 'The contribution is visible to everyone again.');
      } catch (err) {
        unhide.disabled = false;
        slot.open(unhide, () => panel('The contribution could not be made visible',
          notice(err.message, 'error', { role: 'alert' })));
      }
    }, { disclosure: false });
    actions.push(unhide);
  }

  const revisionsButton = can.revisions
    ? actionButton('Show earlier versions', (btn) => slot.open(btn, (close) => revisionsPanel(post, close)))
    : null;

  let nameNode = null;
  if (can.suspend) {
    nameNode = h('button', {
      type: 'button', class: 'link-button byline-name byline-menu', 'aria-expanded': 'false',
    }, authorName(post.author), h('span', { class: 'visually-hidden' }, ': participant actions'));
    nameNode.addEventListener('click', () => slot.open(nameNode, (close) => participantPanel(post.author, close)));
  }

  return { slot: slot.el, actions, revisionsButton, nameNode, can };
}
