// The moderators' controls of a thread: lock, pin, rename, move, and its consultation. Every change
// goes through PATCH /threads/{id}; the page is then redrawn from the server's state, with focus
// back on the control that was used and the result read out.
import { h } from './dom.js';
import * as api from './api.js';
import * as session from './session.js';
import { buttonRow, field, formErrors, onSubmit } from './forms.js';
import { brusselsInputToIso, charLength, isoToBrusselsInput } from './format.js';
import { confirmPanel, panel, panelSlot } from './panel.js';

const TITLE_MAX = 200;
const REASON_MAX = 500;

const reasonField = () => field({
  name: 'reason', label: 'Reason', hint: 'Recorded in the moderation log. Up to 500 characters.',
});

const reasonProblem = (reason) => (charLength(reason.control.value.trim()) > REASON_MAX
  ? { field: 'reason', message: 'The reason is longer than 500 characters.' } : null);

function withReason(payload, reason) {
  const r = reason.control.value.trim();
  return r ? { ...payload, reason: r } : payload;
}

const cancelButton = (close) => h('button', { type: 'button', class: 'button button--secondary', on: { click: close } }, 'Cancel');

function renamePanel(thread, { save, close }) {
  const form = h('form', { class: 'form' });
  const title = field({ name: 'title', label: 'New title', required: true, value: thread.title, hint: 'Up to 200 characters.' });
  const reason = reasonField();
  const submit = h('button', { type: 'submit', class: 'button' }, 'Rename thread');
  const errors = formErrors(form);
  form.append(title.wrap, reason.wrap, errors.region, buttonRow(submit, cancelButton(close)));
  onSubmit(form, {
    errors,
    button: submit,
    busyText: 'Renaming…',
    validate: () => {
      const t = title.control.value.trim();
      if (!t) return { field: 'title', message: 'The title cannot be empty.' };
      if (charLength(t) > TITLE_MAX) return { field: 'title', message: 'The title is longer than 200 characters.' };
      if (t === thread.title) return { field: 'title', message: 'This is the current title.' };
      return reasonProblem(reason);
    },
    send: () => save(withReason({ title: title.control.value.trim() }, reason), 'thread-admin-rename', 'The thread is renamed.'),
  });
  return panel('Rename the thread', form);
}

function movePanel(thread, objectives, { save, close }) {
  const form = h('form', { class: 'form' });
  const targets = objectives.filter((o) => o.id === thread.objective_id || session.moderates(o.id));
  const objective = field({
    name: 'objective_id', label: 'Strategic objective', type: 'select', required: true,
    options: targets.map((o) => ({ value: String(o.id), label: `${o.number}. ${o.title}` })),
    value: String(thread.objective_id),
  });
  const keyAction = field({ name: 'key_action_id', label: 'Key action', type: 'select' });
  const fillKeyActions = (keep) => {
    const o = objectives.find((x) => String(x.id) === objective.control.value);
    keyAction.control.replaceChildren(h('option', { value: '' }, 'The objective as a whole'),
      ...(o ? o.key_actions : []).map((k) => h('option', { value: String(k.id) }, k.title)));
    keyAction.control.value = keep && thread.key_action_id ? String(thread.key_action_id) : '';
  };
  fillKeyActions(true);
  objective.control.addEventListener('change', () => fillKeyActions(String(thread.objective_id) === objective.control.value));
  const reason = reasonField();
  const submit = h('button', { type: 'submit', class: 'button' }, 'Move thread');
  const errors = formErrors(form);
  form.append(objective.wrap, keyAction.wrap, reason.wrap, errors.region, buttonRow(submit, cancelButton(close)));
  onSubmit(form, {
    errors,
    button: submit,
    busyText: 'Moving…',
    validate: () => {
      const sameObjective = Number(objective.control.value) === thread.objective_id;
      const ka = keyAction.control.value ? Number(keyAction.control.value) : null;
      if (sameObjective && ka === (thread.key_action_id || null)) {
        return { field: 'objective_id', message: 'Choose another objective or key action: the thread is already there.' };
      }
      return reasonProblem(reason);
    },
    send: () => {
      const payload = { key_action_id: keyAction.control.value ? Number(keyAction.control.value) : null };
      if (Number(objective.control.value) !== thread.objective_id) payload.objective_id = Number(objective.control.value);
      return save(withReason(payload, reason), 'thread-admin-move', 'The thread is moved.');
    },
  });
  return panel('Move the thread', form);
}

function consultationPanel(thread, { save, close }) {
  const c = thread.consultation;
  const form = h('form', { class: 'form' });
  const closes = field({
    name: 'closes_at', label: 'Closes on (Brussels time)', type: 'datetime-local', required: true,
    value: c ? isoToBrusselsInput(c.closes_at) : '',
    hint: 'Contributions are accepted until this moment. Read as Brussels time, whatever your own time zone.',
  });
  const opens = field({
    name: 'opens_at', label: 'Opens on (Brussels time)', type: 'datetime-local',
    value: c && c.opens_at ? isoToBrusselsInput(c.opens_at) : '',
    hint: 'Leave empty to open it at once.',
  });
  const reason = reasonField();
  const submit = h('button', { type: 'submit', class: 'button' }, c ? 'Save the consultation' : 'Open the consultation');
  const errors = formErrors(form);
  form.append(closes.wrap, opens.wrap, reason.wrap, errors.region, buttonRow(submit, cancelButton(close)));
  onSubmit(form, {
    errors,
    button: submit,
    busyText: 'Saving…',
    validate: () => {
      const closesAt = brusselsInputToIso(closes.control.value);
      const opensAt = brusselsInputToIso(opens.control.value);
      if (!closesAt) return { field: 'closes_at', message: 'Choose the date and time the consultation closes.' };
      if (opens.control.value && !opensAt) return { field: 'opens_at', message: 'Enter a complete opening date and time.' };
      if (!(new Date(closesAt) > new Date())) return { field: 'closes_at', message: 'The closing time must be in the future.' };
      if (opensAt && !(new Date(opensAt) < new Date(closesAt))) {
        return { field: 'opens_at', message: 'The consultation must open before it closes.' };
      }
      return reasonProblem(reason);
    },
    send: async () => {
      const consultation = { closes_at: brusselsInputToIso(closes.control.value) };
      const opensAt = brusselsInputToIso(opens.control.value);
      if (opensAt) consultation.opens_at = opensAt;
      try {
        await save(withReason({ consultation }, reason), 'thread-admin-consultation',
          c ? 'The consultation is changed.' : 'The consultation is set up.');
      } catch (err) {
        // The server may name the field with its object ("consultation.closes_at").
        const m = /(closes_at|opens_at)$/.exec(err.field || '');
        if (m) err.field = m[1];
        throw err;
      }
    },
  });
  return panel(c ? 'Change the consultation' : 'Run this thread as a consultation', form);
}

// refresh: the router's soft redraw ({ focusId, message }).
export function threadAdmin(thread, { objectives, refresh }) {
  const slot = panelSlot('panel-slot');
  const alert = h('div', { class: 'form-alert', role: 'alert' });

  const save = async (payload, focusId, message) => {
    await api.patch(`/threads/${thread.id}`, payload);
    await refresh({ focusId, message });
  };

  const button = (id, label, props = {}) => h('button', { type: 'button', id, class: 'button button--secondary button--small', ...props }, label);

  // Lock and pin act at once: they are undone as easily.
  const toggle = (id, label, payload, message) => {
    const b = button(id, label);
    b.addEventListener('click', async () => {
      if (b.disabled) return;
      alert.replaceChildren();
      alert.className = 'form-alert';
      b.disabled = true;
      try {
        await save(payload, id, message);
      } catch (err) {
        alert.classList.add('is-error');
        alert.append(h('p', {}, err.message));
        b.disabled = false;
      }
    });
    return b;
  };
  const disclosure = (id, label, build) => {
    const b = button(id, label, { 'aria-expanded': 'false' });
    b.addEventListener('click', () => slot.open(b, build));
    return b;
  };

  const c = thread.consultation;
  const buttons = [
    thread.locked
      ? toggle('thread-admin-lock', 'Unlock', { locked: false }, 'The thread is unlocked.')
      : toggle('thread-admin-lock', 'Lock', { locked: true }, 'The thread is locked.'),
    thread.pinned
      ? toggle('thread-admin-pin', 'Unpin', { pinned: false }, 'The thread is no longer pinned.')
      : toggle('thread-admin-pin', 'Pin', { pinned: true }, 'The thread is pinned.'),
    disclosure('thread-admin-rename', 'Rename', (close) => renamePanel(thread, { save, close })),
    disclosure('thread-admin-move', 'Move', (close) => movePanel(thread, objectives, { save, close })),
    disclosure('thread-admin-consultation', c ? 'Change consultation' : 'Set up consultation',
      (close) => consultationPanel(thread, { save, close })),
    c ? disclosure('thread-admin-end', 'End consultation', (close) => confirmPanel({
      title: 'End the consultation?',
      message: 'The thread stops being a consultation. The change is recorded in the moderation log.',
      confirmLabel: 'Yes, end the consultation',
      busyText: 'Ending…',
      close,
      onConfirm: () => save({ consultation: null }, 'thread-admin-consultation', 'The consultation has ended.'),
    })) : null,
  ];

  return h('section', { class: 'thread-admin', 'aria-labelledby': 'thread-admin-heading' },
    h('h2', { class: 'thread-admin-title', id: 'thread-admin-heading' }, 'Moderation'),
    h('div', { class: 'thread-admin-buttons' }, buttons),
    alert,
    slot.el,
    h('p', { class: 'thread-admin-log' },
      h('a', { href: `#/mod/log?target_type=thread&target_id=${thread.id}` }, 'Moderation history of this thread')));
}
