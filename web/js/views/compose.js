// Start a thread under an objective, optionally tied to one of its key actions.
import { append, clear, h, withNodes } from '../dom.js';
import * as api from '../api.js';
import * as session from '../session.js';
import * as follows from '../follows.js';
import { brusselsInputToIso, charLength } from '../format.js';
import { field, onSubmit, buttonRow } from '../forms.js';
import { checkBody, editorErrors, postFields } from '../composer.js';
import { reauthHandler, signInForm } from '../signin-form.js';
import { breadcrumb, notice, pageHeading, setTitle } from '../ui.js';
import { t } from '../i18n.js';

const TITLE_MAX = 200;

function composeForm(objective, preselect) {
  const form = h('form', { class: 'form form--wide' });
  const title = field({
    name: 'title', label: t('compose.title'), required: true, attrs: { autocomplete: 'off' },
    hint: t('compose.titleHint', { max: TITLE_MAX }),
  });
  const keyAction = field({
    name: 'key_action_id', label: t('compose.keyAction'), type: 'select', placeholder: t('compose.wholeObjective'),
    options: objective.key_actions.map((k) => ({ value: String(k.id), label: k.title })),
    value: preselect ? String(preselect.id) : '',
  });
  const staff = session.moderates(objective.id);
  const fields = postFields({ bodyLabel: t('compose.body'), rows: 14, official: staff ? 'optional' : 'none' });
  const consultation = staff ? field({
    name: 'consultation', label: t('compose.consultation'), type: 'datetime-local',
    hint: t('compose.consultationHint'),
  }) : null;
  const submit = h('button', { type: 'submit', class: 'button' }, t('compose.submit'));
  const cancel = h('a', { href: `#/o/${encodeURIComponent(objective.slug)}`, class: 'button button--secondary' }, t('common.cancel'));
  const errors = editorErrors(form, fields.editor);
  const reauthSlot = h('div', { class: 'reauth-slot' });
  append(form, title.wrap, keyAction.wrap, ...fields.nodes, consultation && consultation.wrap,
    errors.region, buttonRow(submit, cancel));

  onSubmit(form, {
    errors,
    button: submit,
    busyText: t('compose.busy'),
    unauthorized: reauthHandler(reauthSlot, errors, submit),
    validate: () => {
      const text = title.control.value.trim();
      if (!text) return { field: 'title', message: t('compose.titleMissing') };
      if (charLength(text) > TITLE_MAX) return { field: 'title', message: t('compose.titleTooLong', { max: TITLE_MAX }) };
      const closes = consultation && consultation.control.value;
      if (closes && !(new Date(brusselsInputToIso(closes)) > new Date())) {
        return { field: 'consultation', message: t('compose.closingInPast') };
      }
      return checkBody(fields.body.value, t('compose.bodyMissing'));
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
  setTitle(t('compose.docTitle', { title: objective.title }));

  append(root,
    breadcrumb([
      { label: t('compose.crumbObjectives'), href: '#/' },
      {
        label: t('compose.crumbObjective', { number: objective.number, title: objective.title }),
        href: `#/o/${encodeURIComponent(objective.slug)}`,
      },
      { label: t('compose.heading') },
    ]),
    pageHeading(t('compose.heading')),
    h('p', { class: 'lead' }, t('compose.lead', { number: objective.number, title: objective.title })));

  if (session.suspension()) {
    append(root, notice(t('compose.suspended'), 'muted'));
    return;
  }
  if (session.currentUser()) {
    append(root, ...composeForm(objective, preselect));
    return;
  }
  // Signing in here, rather than on a separate page, brings the person straight back to the form.
  const gate = h('div', { class: 'gate' },
    notice(withNodes(t('compose.signInFirst'), { register: h('a', { href: '#/register' }, t('compose.registerLink')) }), 'info'),
    signInForm({
      onSignedIn: () => {
        clear(gate);
        append(gate, ...composeForm(objective, preselect));
        gate.querySelector('input').focus();
      },
    }));
  append(root, gate);
}
