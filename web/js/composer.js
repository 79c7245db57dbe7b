// Writing a contribution: the fields a thread's opening post and a reply have in common, and the
// reply form itself.
import { append, h } from './dom.js';
import * as api from './api.js';
import { field, checkbox, formErrors, onSubmit, buttonRow } from './forms.js';
import { reauthHandler } from './signin-form.js';
import { charLength, count } from './format.js';
import { LANGUAGES } from './labels.js';

const BODY_MAX = 50000;

// official: 'none' (participants), 'optional' (staff of the objective) or 'only' (staff writing
// where only the Commission's official answer is still accepted: a locked thread or a consultation
// that is not open).
export function postFields({ bodyLabel, rows = 10, official: officialMode = 'none' }) {
  const body = field({
    name: 'body', label: bodyLabel, type: 'textarea', required: true, rows,
    hint: 'Formatting uses Markdown: **bold**, *italic*, "> " for a quotation, "- " for a list, '
      + '[text](https://…) for a link. Up to 50,000 characters.',
  });
  const counter = h('p', { class: 'counter' });
  const updateCounter = () => {
    const n = charLength(body.control.value);
    counter.textContent = `${count(n, 'character')} of ${BODY_MAX.toLocaleString('en-GB')}`;
    counter.classList.toggle('is-over', n > BODY_MAX);
  };
  body.control.addEventListener('input', updateCounter);
  updateCounter();
  body.wrap.append(counter);

  const language = field({
    name: 'language', label: 'Language of your text', type: 'select', options: LANGUAGES, placeholder: 'Not specified',
  });
  const anonymous = checkbox({
    name: 'anonymous', label: 'Publish anonymously',
    hint: 'Others see your stakeholder type and country but not your name or organisation. '
      + 'Moderators can still see who wrote it.',
  });
  let official = null;
  if (officialMode === 'optional' || officialMode === 'only') {
    official = checkbox({
      name: 'official', label: 'Official answer of the Commission',
      hint: officialMode === 'only'
        ? 'Only the Commission\u2019s official answer can still be published here, so this stays ticked.'
        : 'Marks this contribution as the Commission\u2019s answer: it is highlighted and shown first in the thread.',
    });
    if (officialMode === 'only') {
      official.control.checked = true;
      official.control.disabled = true;
    }
  }

  return {
    nodes: [body.wrap, h('div', { class: 'field-row' }, language.wrap), anonymous.wrap, official && official.wrap],
    body: body.control,
    read() {
      const out = { body: body.control.value };
      if (language.control.value) out.language = language.control.value;
      if (anonymous.control.checked) out.anonymous = true;
      if (official && official.control.checked) out.official = true;
      return out;
    },
    validate() {
      const text = body.control.value;
      if (!text.trim()) return { field: 'body', message: 'Write your contribution before publishing.' };
      if (charLength(text) > BODY_MAX) {
        return { field: 'body', message: 'Your text is longer than 50,000 characters. Please shorten it.' };
      }
      return null;
    },
    reset() {
      body.control.value = '';
      anonymous.control.checked = false;
      if (official) official.control.checked = officialMode === 'only';
      updateCounter();
    },
  };
}

// parent: the post being answered, or null for a contribution to the thread as a whole.
export function replyForm({ thread, parent = null, parentName = '', official = 'none', onPosted, onCancel }) {
  const form = h('form', { class: 'form form--wide' });
  const fields = postFields({
    bodyLabel: parent ? `Your reply to ${parentName}` : 'Your contribution',
    rows: parent ? 6 : 10,
    official,
  });
  const submit = h('button', { type: 'submit', class: 'button' }, parent ? 'Publish reply' : 'Publish contribution');
  const cancel = onCancel
    ? h('button', { type: 'button', class: 'button button--secondary', on: { click: onCancel } }, 'Cancel')
    : null;
  const errors = formErrors(form);
  const reauthSlot = h('div', { class: 'reauth-slot' });
  append(form, ...fields.nodes, errors.region, buttonRow(submit, cancel));

  onSubmit(form, {
    errors,
    button: submit,
    busyText: 'Publishing…',
    validate: fields.validate,
    unauthorized: reauthHandler(reauthSlot, errors, submit),
    send: async () => {
      const payload = fields.read();
      if (parent) payload.parent_id = parent.id;
      const res = await api.post(`/threads/${thread.id}/posts`, payload);
      fields.reset();
      errors.clear();
      onPosted(res.post);
    },
  });
  return {
    el: h('div', { class: ['composer', parent && 'composer--inline'] }, form, reauthSlot),
    focus: () => fields.body.focus(),
    hasText: () => fields.body.value.trim() !== '',
  };
}
