// The moderators' controls of a thread: lock, pin, rename, move, and its consultation. Every change
// goes through PATCH /threads/{id}; the page is then redrawn from the server's state, with focus
// back on the control that was used and the result read out.
import { h } from './dom.js';
import * as api from './api.js';
import * as session from './session.js';
import { buttonRow, field, formErrors, onSubmit } from './forms.js';
import { brusselsInputToIso, charLength, isoToBrusselsInput } from './format.js';
import { confirmPanel, panel, panelSlot } from './panel.js';
import { t } from './i18n.js';

const TITLE_MAX = 200;
const REASON_MAX = 500;

const reasonField = () => field({
  name: 'reason', label: t('threadAdmin.reason'), hint: t('threadAdmin.reasonHint', { max: REASON_MAX }),
});

const reasonProblem = (reason) => (charLength(reason.control.value.trim()) > REASON_MAX
  ? { field: 'reason', message: t('threadAdmin.reasonTooLong', { max: REASON_MAX }) } : null);

function withReason(payload, reason) {
  const r = reason.control.value.trim();
  return r ? { ...payload, reason: r } : payload;
}

const cancelButton = (close) => h('button', { type: 'button', class: 'button button--secondary', on: { click: close } }, t('common.cancel'));

function renamePanel(thread, { save, close }) {
  const form = h('form', { class: 'form' });
  const title = field({
    name: 'title', label: t('threadAdmin.newTitle'), required: true, value: thread.title,
    hint: t('threadAdmin.titleHint', { max: TITLE_MAX }),
  });
  const reason = reasonField();
  const submit = h('button', { type: 'submit', class: 'button' }, t('threadAdmin.renameSubmit'));
  const errors = formErrors(form);
  form.append(title.wrap, reason.wrap, errors.region, buttonRow(submit, cancelButton(close)));
  onSubmit(form, {
    errors,
    button: submit,
    busyText: t('threadAdmin.renaming'),
    validate: () => {
      const text = title.control.value.trim();
      if (!text) return { field: 'title', message: t('threadAdmin.titleEmpty') };
      if (charLength(text) > TITLE_MAX) return { field: 'title', message: t('threadAdmin.titleTooLong', { max: TITLE_MAX }) };
      if (text === thread.title) return { field: 'title', message: t('threadAdmin.titleSame') };
      return reasonProblem(reason);
    },
    send: () => save(withReason({ title: title.control.value.trim() }, reason), 'thread-admin-rename', t('threadAdmin.renamed')),
  });
  return panel(t('threadAdmin.renameTitle'), form);
}

function movePanel(thread, objectives, { save, close }) {
  const form = h('form', { class: 'form' });
  const targets = objectives.filter((o) => o.id === thread.objective_id || session.moderates(o.id));
  const objective = field({
    name: 'objective_id', label: t('threadAdmin.objective'), type: 'select', required: true,
    options: targets.map((o) => ({ value: String(o.id), label: t('threadAdmin.objectiveOption', { number: o.number, title: o.title }) })),
    value: String(thread.objective_id),
  });
  const keyAction = field({ name: 'key_action_id', label: t('threadAdmin.keyAction'), type: 'select' });
  const fillKeyActions = (keep) => {
    const o = objectives.find((x) => String(x.id) === objective.control.value);
    keyAction.control.replaceChildren(h('option', { value: '' }, t('threadAdmin.wholeObjective')),
      ...(o ? o.key_actions : []).map((k) => h('option', { value: String(k.id) }, k.title)));
    keyAction.control.value = keep && thread.key_action_id ? String(thread.key_action_id) : '';
  };
  fillKeyActions(true);
  objective.control.addEventListener('change', () => fillKeyActions(String(thread.objective_id) === objective.control.value));
  const reason = reasonField();
  const submit = h('button', { type: 'submit', class: 'button' }, t('threadAdmin.moveSubmit'));
  const errors = formErrors(form);
  form.append(objective.wrap, keyAction.wrap, reason.wrap, errors.region, buttonRow(submit, cancelButton(close)));
  onSubmit(form, {
    errors,
    button: submit,
    busyText: t('threadAdmin.moving'),
    validate: () => {
      const sameObjective = Number(objective.control.value) === thread.objective_id;
      const ka = keyAction.control.value ? Number(keyAction.control.value) : null;
      if (sameObjective && ka === (thread.key_action_id || null)) {
        return { field: 'objective_id', message: t('threadAdmin.moveSame') };
      }
      return reasonProblem(reason);
    },
    send: () => {
      const payload = { key_action_id: keyAction.control.value ? Number(keyAction.control.value) : null };
      if (Number(objective.control.value) !== thread.objective_id) payload.objective_id = Number(objective.control.value);
      return save(withReason(payload, reason), 'thread-admin-move', t('threadAdmin.moved'));
    },
  });
  return panel(t('threadAdmin.moveTitle'), form);
}

function consultationPanel(thread, { save, close }) {
  const c = thread.consultation;
  const form = h('form', { class: 'form' });
  const closes = field({
    name: 'closes_at', label: t('threadAdmin.closesAt'), type: 'datetime-local', required: true,
    value: c ? isoToBrusselsInput(c.closes_at) : '',
    hint: t('threadAdmin.closesAtHint'),
  });
  const opens = field({
    name: 'opens_at', label: t('threadAdmin.opensAt'), type: 'datetime-local',
    value: c && c.opens_at ? isoToBrusselsInput(c.opens_at) : '',
    hint: t('threadAdmin.opensAtHint'),
  });
  const reason = reasonField();
  const submit = h('button', { type: 'submit', class: 'button' },
    c ? t('threadAdmin.consultationSave') : t('threadAdmin.consultationCreate'));
  const errors = formErrors(form);
  form.append(closes.wrap, opens.wrap, reason.wrap, errors.region, buttonRow(submit, cancelButton(close)));
  onSubmit(form, {
    errors,
    button: submit,
    busyText: t('threadAdmin.saving'),
    validate: () => {
      const closesAt = brusselsInputToIso(closes.control.value);
      const opensAt = brusselsInputToIso(opens.control.value);
      if (!closesAt) return { field: 'closes_at', message: t('threadAdmin.closesMissing') };
      if (opens.control.value && !opensAt) return { field: 'opens_at', message: t('threadAdmin.opensIncomplete') };
      if (!(new Date(closesAt) > new Date())) return { field: 'closes_at', message: t('threadAdmin.closesInPast') };
      if (opensAt && !(new Date(opensAt) < new Date(closesAt))) {
        return { field: 'opens_at', message: t('threadAdmin.opensAfterCloses') };
      }
      return reasonProblem(reason);
    },
    send: async () => {
      const consultation = { closes_at: brusselsInputToIso(closes.control.value) };
      const opensAt = brusselsInputToIso(opens.control.value);
      if (opensAt) consultation.opens_at = opensAt;
      try {
        await save(withReason({ consultation }, reason), 'thread-admin-consultation',
          c ? t('threadAdmin.consultationChanged') : t('threadAdmin.consultationSetUp'));
      } catch (err) {
        // The server may name the field with its object ("consultation.closes_at").
        const m = /(closes_at|opens_at)$/.exec(err.field || '');
        if (m) err.field = m[1];
        throw err;
      }
    },
  });
  return panel(c ? t('threadAdmin.consultationChangeTitle') : t('threadAdmin.consultationCreateTitle'), form);
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
      ? toggle('thread-admin-lock', t('threadAdmin.unlock'), { locked: false }, t('threadAdmin.unlocked'))
      : toggle('thread-admin-lock', t('threadAdmin.lock'), { locked: true }, t('threadAdmin.locked')),
    thread.pinned
      ? toggle('thread-admin-pin', t('threadAdmin.unpin'), { pinned: false }, t('threadAdmin.unpinned'))
      : toggle('thread-admin-pin', t('threadAdmin.pin'), { pinned: true }, t('threadAdmin.pinned')),
    disclosure('thread-admin-rename', t('threadAdmin.rename'), (close) => renamePanel(thread, { save, close })),
    disclosure('thread-admin-move', t('threadAdmin.move'), (close) => movePanel(thread, objectives, { save, close })),
    disclosure('thread-admin-consultation', c ? t('threadAdmin.consultationChange') : t('threadAdmin.consultationSetUpButton'),
      (close) => consultationPanel(thread, { save, close })),
    c ? disclosure('thread-admin-end', t('threadAdmin.end'), (close) => confirmPanel({
      title: t('threadAdmin.endTitle'),
      message: t('threadAdmin.endMessage'),
      confirmLabel: t('threadAdmin.endConfirm'),
      busyText: t('threadAdmin.ending'),
      close,
      onConfirm: () => save({ consultation: null }, 'thread-admin-consultation', t('threadAdmin.ended')),
    })) : null,
  ];

  return h('section', { class: 'thread-admin', 'aria-labelledby': 'thread-admin-heading' },
    h('h2', { class: 'thread-admin-title', id: 'thread-admin-heading' }, t('threadAdmin.heading')),
    h('div', { class: 'thread-admin-buttons' }, buttons),
    alert,
    slot.el,
    h('p', { class: 'thread-admin-log' },
      h('a', { href: `#/mod/log?target_type=thread&target_id=${thread.id}` }, t('threadAdmin.history'))));
}
