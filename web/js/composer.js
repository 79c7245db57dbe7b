// Writing a contribution: the Markdown text field with its Write / Preview pair and short Markdown
// help (used by every composer: a thread's opening post, a reply, an edit), the fields a thread's
// opening post and a reply have in common, and the reply form itself.
import { append, h, setSanitisedHtml } from './dom.js';
import * as api from './api.js';
import { field, checkbox, formErrors, onSubmit, buttonRow, uid } from './forms.js';
import { reauthHandler } from './signin-form.js';
import { charLength } from './format.js';
import { LANGUAGES } from './labels.js';
import { t } from './i18n.js';

export const BODY_MAX = 50000;

// The Markdown that forumd renders (CommonMark; raw HTML is dropped, images become links).
// Each entry: what one types, and what it gives.
const HELP = [
  [t('composer.help.boldSample'), t('composer.help.bold')],
  [t('composer.help.italicSample'), t('composer.help.italic')],
  [t('composer.help.quoteSample'), t('composer.help.quote')],
  [t('composer.help.listSample'), t('composer.help.list')],
  [t('composer.help.numberedSample'), t('composer.help.numbered')],
  [t('composer.help.linkSample'), t('composer.help.link')],
  [t('composer.help.headingSample'), t('composer.help.heading')],
  ['`code`', t('composer.help.code')],
];

function markdownHelp() {
  return h('details', { class: 'md-help' },
    h('summary', {}, t('composer.help.summary')),
    h('ul', { class: 'md-help-list' }, HELP.map(([sample, meaning]) => h('li', {},
      h('code', {}, sample), h('span', { class: 'md-help-meaning' }, meaning)))),
    h('p', { class: 'hint' }, t('composer.help.paragraphs')),
    h('p', { class: 'hint' }, t('composer.help.limits')));
}

// A Markdown text area with a Write / Preview toggle (two buttons with aria-pressed). Preview asks
// the server to render the text exactly as a post would be (POST /preview) and shows it in a
// region labelled "Preview"; the text area is hidden meanwhile. lang(): the language tag the
// text is written in, for the preview's lang attribute.
export function markdownField({ name = 'body', label, rows = 10, value, required = true, lang = () => '' }) {
  const f = field({
    name, label, type: 'textarea', required, rows, value,
    hint: t('composer.hint', { max: BODY_MAX }),
  });
  const control = f.control;
  const labelEl = f.wrap.querySelector('label');
  labelEl.id = uid('md-label');

  const previewId = uid('md-preview');
  const preview = h('section', {
    class: 'md-preview', id: previewId, 'aria-label': t('composer.preview.region'), tabindex: '0', hidden: true,
  });
  const status = h('p', { class: 'visually-hidden', role: 'status' });
  const writeButton = h('button', {
    type: 'button', class: 'md-mode', 'aria-pressed': 'true', 'aria-controls': control.id,
  }, t('composer.write'));
  const previewButton = h('button', {
    type: 'button', class: 'md-mode', 'aria-pressed': 'false', 'aria-controls': previewId,
  }, t('composer.preview.button'));
  const modes = h('div', { class: 'md-modes', role: 'group', 'aria-labelledby': labelEl.id }, writeButton, previewButton);

  const counter = h('p', { class: 'counter' });
  const updateCounter = () => {
    const n = charLength(control.value);
    counter.textContent = t('composer.counter', { count: n, max: BODY_MAX });
    counter.classList.toggle('is-over', n > BODY_MAX);
  };
  control.addEventListener('input', updateCounter);
  updateCounter();

  control.before(modes);
  control.after(preview);
  f.wrap.classList.add('md-field');
  append(f.wrap, counter, status, markdownHelp());

  let seq = 0;
  const say = (message) => {
    status.textContent = '';
    window.setTimeout(() => { status.textContent = message; }, 50);
  };

  function write() {
    seq += 1; // a preview still on its way is no longer wanted
    writeButton.setAttribute('aria-pressed', 'true');
    previewButton.setAttribute('aria-pressed', 'false');
    preview.hidden = true;
    preview.removeAttribute('aria-busy');
    preview.replaceChildren();
    control.hidden = false;
  }

  async function showPreview() {
    const mine = ++seq;
    writeButton.setAttribute('aria-pressed', 'false');
    previewButton.setAttribute('aria-pressed', 'true');
    control.hidden = true;
    preview.hidden = false;
    const text = control.value;
    if (!text.trim()) {
      preview.replaceChildren(h('p', { class: 'placeholder' }, t('composer.preview.empty')));
      say(t('composer.preview.empty'));
      return;
    }
    if (charLength(text) > BODY_MAX) {
      preview.replaceChildren(h('div', { class: 'notice notice--error', role: 'alert' },
        h('p', {}, t('composer.tooLong', { max: BODY_MAX }))));
      return;
    }
    preview.setAttribute('aria-busy', 'true');
    preview.replaceChildren(h('p', { class: 'loading' }, t('composer.preview.loading')));
    try {
      const res = await api.post('/preview', { body: text });
      if (mine !== seq) return;
      preview.replaceChildren(setSanitisedHtml(h('div', { class: 'prose', lang: lang() || false }), res.body_html || ''));
      say(t('composer.preview.ready'));
    } catch (err) {
      if (mine !== seq) return;
      preview.replaceChildren(h('div', { class: 'notice notice--error', role: 'alert' },
        h('p', {}, t('composer.preview.failed', { reason: err.message }))));
    } finally {
      if (mine === seq) preview.removeAttribute('aria-busy');
    }
  }

  writeButton.addEventListener('click', write);
  previewButton.addEventListener('click', showPreview);

  return {
    wrap: f.wrap,
    control,
    write,
    isPreview: () => previewButton.getAttribute('aria-pressed') === 'true',
    updateCounter,
    setValue(text) {
      control.value = text;
      updateCounter();
    },
    // Puts text at the end of what is written (a quotation, say) and the cursor after it.
    insert(text) {
      write();
      const before = control.value.replace(/\s+$/, '');
      control.value = before ? `${before}\n\n${text}` : text;
      updateCounter();
      control.focus();
      const end = control.value.length;
      control.setSelectionRange(end, end);
      // Long texts: keep the cursor in sight.
      control.scrollTop = control.scrollHeight;
    },
  };
}

// formErrors for a form with a Markdown field: an error about the text brings the text area back
// from the preview, so the error can be shown beside it and focus can go there.
export function editorErrors(form, editor) {
  const errors = formErrors(form);
  const show = errors.show;
  errors.show = (err) => {
    if (err && err.field === editor.control.name) editor.write();
    show(err);
  };
  return errors;
}

// Checks the text of a contribution; null when it may be sent.
export function checkBody(text, emptyMessage) {
  if (!text.trim()) return { field: 'body', message: emptyMessage };
  if (charLength(text) > BODY_MAX) return { field: 'body', message: t('composer.tooLong', { max: BODY_MAX }) };
  return null;
}

// official: 'none' (participants), 'optional' (staff of the objective) or 'only' (staff writing
// where only the Commission's official answer is still accepted: a locked thread or a consultation
// that is not open).
export function postFields({ bodyLabel, rows = 10, official: officialMode = 'none' }) {
  const language = field({
    name: 'language', label: t('composer.language'), type: 'select', options: LANGUAGES,
    placeholder: t('composer.languageUnspecified'),
  });
  const body = markdownField({ label: bodyLabel, rows, lang: () => language.control.value });
  const anonymous = checkbox({
    name: 'anonymous', label: t('composer.anonymous'), hint: t('composer.anonymousHint'),
  });
  let official = null;
  if (officialMode === 'optional' || officialMode === 'only') {
    official = checkbox({
      name: 'official', label: t('composer.official'),
      hint: officialMode === 'only' ? t('composer.officialOnlyHint') : t('composer.officialHint'),
    });
    if (officialMode === 'only') {
      official.control.checked = true;
      official.control.disabled = true;
    }
  }

  return {
    nodes: [body.wrap, h('div', { class: 'field-row' }, language.wrap), anonymous.wrap, official && official.wrap],
    body: body.control,
    editor: body,
    read() {
      const out = { body: body.control.value };
      if (language.control.value) out.language = language.control.value;
      if (anonymous.control.checked) out.anonymous = true;
      if (official && official.control.checked) out.official = true;
      return out;
    },
    validate() {
      return checkBody(body.control.value, t('composer.empty'));
    },
    reset() {
      body.write();
      body.control.value = '';
      anonymous.control.checked = false;
      if (official) official.control.checked = officialMode === 'only';
      body.updateCounter();
    },
  };
}

// Markdown for quoting: "**Name** wrote:" and the text with "> " before every line.
const MD_SPECIAL = /[\\`*_[\]<>&#!|~]/g;
export function quoteMarkdown(name, text) {
  const who = `**${String(name).replace(MD_SPECIAL, (c) => `\\${c}`)}**`;
  const lines = String(text).replace(/\r\n?/g, '\n').replace(/^\n+|\s+$/g, '').split('\n');
  return `${t('composer.quoteAttribution', { name: who })}\n\n${lines.map((l) => (l ? `> ${l}` : '>')).join('\n')}\n\n`;
}

// parent: the post being answered, or null for a contribution to the thread as a whole.
// onRefused(err): the server refused the post because the thread was locked or the consultation
// closed meanwhile; the page can then redraw what may still be done.
export function replyForm({
  thread, parent = null, parentName = '', official = 'none', onPosted, onCancel, onRefused,
}) {
  const form = h('form', { class: 'form form--wide' });
  const fields = postFields({
    bodyLabel: parent ? t('composer.replyLabel', { name: parentName }) : t('composer.contributionLabel'),
    rows: parent ? 6 : 10,
    official,
  });
  const submit = h('button', { type: 'submit', class: 'button' },
    parent ? t('composer.postReply') : t('composer.postContribution'));
  const cancel = onCancel
    ? h('button', { type: 'button', class: 'button button--secondary', on: { click: onCancel } }, t('common.cancel'))
    : null;
  const errors = editorErrors(form, fields.editor);
  const reauthSlot = h('div', { class: 'reauth-slot' });
  append(form, ...fields.nodes, errors.region, buttonRow(submit, cancel));

  onSubmit(form, {
    errors,
    button: submit,
    busyText: t('composer.posting'),
    validate: fields.validate,
    unauthorized: reauthHandler(reauthSlot, errors, submit),
    send: async () => {
      const payload = fields.read();
      if (parent) payload.parent_id = parent.id;
      let res;
      try {
        res = await api.post(`/threads/${thread.id}/posts`, payload);
      } catch (err) {
        if (onRefused && (err.code === 'consultation_closed' || err.code === 'thread_locked')) {
          window.setTimeout(() => onRefused(err), 0);
        }
        throw err;
      }
      fields.reset();
      errors.clear();
      onPosted(res.post);
    },
  });
  return {
    el: h('div', { class: ['composer', parent && 'composer--inline'] }, form, reauthSlot),
    focus: () => fields.body.focus(),
    hasText: () => fields.body.value.trim() !== '',
    text: () => fields.body.value,
    insert: (text) => fields.editor.insert(text),
    setText: (text) => fields.editor.setValue(text),
  };
}
