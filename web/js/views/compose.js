// Start a thread under an objective, optionally tied to one of its key actions.
import { append, h, clear } from '../dom.js';
import * as api from '../api.js';
import * as session from '../session.js';
import * as follows from '../follows.js';
import { brusselsInputToIso, charLength } from '../format.js';
import { field, formErrors, onSubmit, buttonRow } from '../forms.js';
import { postFields } from '../composer.js';
import { reauthHandler, signInForm } from '../signin-form.js';
import { breadcrumb, notice, pageHeading, setTitle } from '../ui.js';

const TITLE_MAX = 200;

function composeForm(objective, preselect) {
  const form = h('form', { class: 'form form--wide' });
  const title = field({
    name: 'title', label: 'Title', required: true, attrs: { autocomplete: 'off' },
    hint: 'Up to 200 characters. Say in a few words what you want to discuss.',
  });
  const keyAction = field({
    name: 'key_action_id', label: 'Key action', type: 'select', placeholder: 'The objective as a whole',
    options: objective.key_actions.map((k) => ({ value: String(k.id), label: k.title })),
    value: preselect ? String(preselect.id) : '',
  });
  const staff = session.moderates(objective.id);
  const fields = postFields({ bodyLabel: 'Your opening contribution', rows: 14, official: staff ? 'optional' : 'none' });
  const consultation = staff ? field({
    name: 'consultation', label: 'Run as a consultation closing on (Brussels time)', type: 'datetime-local',
    hint: 'Moderators only. Leave empty for an ordinary discussion. The date and time are read as Brussels time.',
  }) : null;
  const submit = h('button', { type: 'submit', class: 'button' }, 'Publish thread');
  const cancel = h('a', { href: `#/o/${encodeURIComponent(objective.slug)}`, class: 'button button--secondary' }, 'Cancel');
  const errors = formErrors(form);
  const reauthSlot = h('div', { class: 'reauth-slot' });
  append(form, title.wrap, keyAction.wrap, ...fields.nodes, consultation && consultation.wrap,
    errors.region, buttonRow(submit, cancel));

  onSubmit(form, {
    errors,
    button: submit,
    busyText: 'Publishing…',
    unauthorized: reauthHandler(reauthSlot, errors, submit),
    validate: () => {
      const t = title.control.value.trim();
      if (!t) return { field: 'title', message: 'Give your thread a title.' };
      if (charLength(t) > TITLE_MAX) return { field: 'title', message: 'The title is longer than 200 characters.' };
      const closes = consultation && consultation.control.value;
      if (closes && !(new Date(brusselsInputToIso(closes)) > new Date())) {
        return { field: 'consultation', message: 'The closing date must be in the future.' };
      }
      return fields.validate();
    },
    send: async () => {
      const payload = { title: title.control.value.trim(), ...fields.read() };
      if (keyAction.control.value) payload.key_action_id = Number(keyAction.control.value);
      if (consultation && consultation.control.value) {
        payload.consultation = { closes_at: brusselsInputToIso(consultation.control.value) };
      }
      const res = await api.post(`/objectives/${objective.id}/threads`, payload);
      // Authors follow their new thread: the cached list no longer says so.
      follows.invalidate();
      window.location.hash = `#/t/${res.thread.id}`;
    },
  });
  return [form, reauthSlot];
}

export async function render(root, { params, query }) {
  const { objective } = await api.get(`/objectives/${encodeURIComponent(params.slug)}`);
  const wanted = query.get('ka');
  const preselect = objective.key_actions.find((k) => k.slug === wanted || String(k.id) === wanted) || null;
  setTitle(`Start a thread – ${objective.title}`);

  append(root,
    breadcrumb([
      { label: 'Objectives', href: '#/' },
      { label: `Objective ${objective.number}: ${objective.title}`, href: `#/o/${encodeURIComponent(objective.slug)}` },
      { label: 'Start a thread' },
    ]),
    pageHeading('Start a thread'),
    h('p', { class: 'lead' }, `Under strategic objective ${objective.number}: ${objective.title}.`));

  if (session.suspension()) {
    append(root, notice('Your account is suspended, so you cannot start a thread for now.', 'muted'));
    return;
  }
  if (session.currentUser()) {
    append(root, ...composeForm(objective, preselect));
    return;
  }
  // Signing in here, rather than on a separate page, brings the person straight back to the form.
  const gate = h('div', { class: 'gate' },
    notice(['Please sign in to start a thread. No account yet? ', h('a', { href: '#/register' }, 'Register'), '.'], 'info'),
    signInForm({
      onSignedIn: () => {
        clear(gate);
        append(gate, ...composeForm(objective, preselect));
        gate.querySelector('input').focus();
      },
    }));
  append(root, gate);
}
