// Labelled fields, the one error display, and the submit cycle every form goes through.
import { h } from './dom.js';
import { t } from './i18n.js';

let seq = 0;
export const uid = (prefix) => `${prefix}-${++seq}`;

function optionNodes(options, placeholder) {
  const nodes = placeholder !== undefined ? [h('option', { value: '' }, placeholder)] : [];
  (options || []).forEach((o) => {
    nodes.push(o.group
      ? h('optgroup', { label: o.group }, o.options.map((x) => h('option', { value: x.value }, x.label)))
      : h('option', { value: o.value }, o.label));
  });
  return nodes;
}

// Inputs are named after the API's fields, so an error's `field` finds its input by name.
export function field({ name, label, type = 'text', hint, required = false, options, placeholder, value,
  autocomplete, rows, attrs = {} }) {
  const id = uid(`f-${name}`);
  const hintId = hint ? `${id}-hint` : null;
  const common = {
    id, name, required, 'aria-describedby': hintId, ...attrs,
  };
  let control;
  if (type === 'select') {
    control = h('select', { ...common, value }, optionNodes(options, placeholder));
  } else if (type === 'textarea') {
    control = h('textarea', { ...common, rows: rows || 8, value });
  } else {
    control = h('input', { ...common, type, autocomplete, value });
  }
  const wrap = h('div', { class: 'field' },
    h('label', { for: id }, label, required ? null : h('span', { class: 'optional' }, ` ${t('forms.optional')}`)),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    control);
  return { wrap, control };
}

export function checkbox({ name, label, hint }) {
  const id = uid(`f-${name}`);
  const hintId = hint ? `${id}-hint` : null;
  const control = h('input', { type: 'checkbox', id, name, 'aria-describedby': hintId });
  const wrap = h('div', { class: 'field field--check' },
    control,
    h('label', { for: id }, label),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null);
  return { wrap, control };
}

// The error region is role="alert" and present from the start, so screen readers announce what is
// written into it. A field-specific error is also written beside its input and linked to it.
export function formErrors(form) {
  const region = h('div', { class: 'form-alert', role: 'alert' });
  let marked = [];

  function clear() {
    region.replaceChildren();
    region.className = 'form-alert';
    marked.forEach(({ control, note, describedBy }) => {
      note.remove();
      control.removeAttribute('aria-invalid');
      if (describedBy) control.setAttribute('aria-describedby', describedBy);
      else control.removeAttribute('aria-describedby');
    });
    marked = [];
  }

  function show(err) {
    clear();
    region.classList.add('is-error');
    region.append(h('p', {}, err.message));
    const control = err.field ? form.elements.namedItem(err.field) : null;
    const marks = control instanceof HTMLElement;
    // A translated message may lose what the server said precisely (and a field-independent one
    // says which field only beside its input): then add the server's words, marked as English.
    if (err.detail && err.detail !== err.message && (!err.fieldIndependent || !marks)) {
      region.append(h('p', { class: 'form-alert-detail' }, `${t('forms.serverDetail')} `,
        h('span', { lang: 'en' }, err.detail)));
    }
    if (!marks) return;
    const note = h('p', { class: 'field-error', id: uid('err') }, err.message);
    const describedBy = control.getAttribute('aria-describedby');
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', [note.id, describedBy].filter(Boolean).join(' '));
    control.insertAdjacentElement('afterend', note);
    marked.push({ control, note, describedBy });
    control.focus();
  }

  // Once the person edits the field at fault, the old message is wrong; take it away.
  const onEdit = (ev) => {
    if (marked.some((m) => m.control === ev.target)) clear();
  };
  form.addEventListener('input', onEdit);
  form.addEventListener('change', onEdit);

  function info(message) {
    clear();
    region.classList.add('is-info');
    region.append(h('p', {}, message));
  }

  return { region, show, clear, info };
}

// Runs one submit: local validation, a busy button, then either success or a visible error.
// `unauthorized` lets composing forms offer a sign-in without discarding what was typed.
export function onSubmit(form, { errors, button, busyText = t('forms.sending'), validate, send, unauthorized }) {
  form.setAttribute('novalidate', '');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (button.disabled) return;
    errors.clear();
    const problem = validate ? validate() : null;
    if (problem) {
      errors.show(problem);
      return;
    }
    const label = button.textContent;
    button.disabled = true;
    button.textContent = busyText;
    try {
      await send();
    } catch (err) {
      if (err.status === 401 && unauthorized) unauthorized(err);
      else errors.show(err);
    } finally {
      button.disabled = false;
      button.textContent = label;
    }
  });
}

export function buttonRow(...buttons) {
  return h('div', { class: 'form-actions' }, buttons);
}
