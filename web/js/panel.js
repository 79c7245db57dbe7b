// Inline panels: small forms and confirmations that open right below the button that asked for
// them. One panel at a time per slot; focus moves into the panel, and back to its button on
// Cancel or Escape, so keyboard and screen reader users never lose their place.
import { h } from './dom.js';
import { uid } from './forms.js';
import { t } from './i18n.js';

export function focusFirst(node) {
  const target = node.querySelector('[data-autofocus]')
    || node.querySelector('input:not([type="hidden"]):not([disabled]), textarea, select, button:not([disabled])');
  if (target) target.focus();
}

export function panelSlot(className = 'panel-slot') {
  const el = h('div', { class: className, id: uid('panel') });
  let current = null;

  function close({ restoreFocus = true } = {}) {
    if (!current) return;
    const { trigger, node } = current;
    current = null;
    node.remove();
    if (trigger) trigger.setAttribute('aria-expanded', 'false');
    if (restoreFocus && trigger && trigger.isConnected) trigger.focus();
  }

  // build(close) returns the panel's element. Asking again for the open panel just focuses it,
  // so a half-written text is never thrown away by a second click.
  function open(trigger, build) {
    if (current && current.trigger === trigger) {
      focusFirst(current.node);
      return;
    }
    close({ restoreFocus: false });
    const node = build(() => close());
    node.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape') {
        ev.stopPropagation();
        close();
      }
    });
    current = { trigger, node };
    el.append(node);
    if (trigger) {
      trigger.setAttribute('aria-expanded', 'true');
      trigger.setAttribute('aria-controls', el.id);
    }
    focusFirst(node);
  }

  return { el, open, close, isOpen: () => !!current };
}

// A titled box for a panel's content. role=group with a label tells screen readers what it is for.
export function panel(title, ...content) {
  const titleId = uid('panel-title');
  return h('div', { class: 'panel', role: 'group', 'aria-labelledby': titleId },
    h('h3', { class: 'panel-title', id: titleId }, title),
    ...content);
}

// A disclosure button in the style of the post actions ("Edit", "Flag", …).
// disclosure: false for a button that acts at once instead of opening a panel.
export function actionButton(label, onClick, { kind, disclosure = true } = {}) {
  return h('button', {
    type: 'button', class: ['link-button', 'action', kind && `action--${kind}`], 'aria-expanded': disclosure ? 'false' : false,
    on: { click: (ev) => onClick(ev.currentTarget) },
  }, label);
}

// The confirm step of an irreversible action. onConfirm may throw an API error: it is shown in the
// panel and the panel stays open.
export function confirmPanel({ title, message, confirmLabel, busyText = t('panel.working'), danger = true, onConfirm, close }) {
  const messageId = uid('confirm');
  const status = h('div', { class: 'form-alert', role: 'alert' });
  const yes = h('button', {
    type: 'button', class: ['button', danger && 'button--danger'], 'aria-describedby': messageId, 'data-autofocus': true,
  }, confirmLabel);
  const no = h('button', { type: 'button', class: 'button button--secondary', on: { click: close } }, t('common.cancel'));
  yes.addEventListener('click', async () => {
    if (yes.disabled) return;
    status.replaceChildren();
    status.className = 'form-alert';
    yes.disabled = true;
    yes.textContent = busyText;
    try {
      await onConfirm();
    } catch (err) {
      status.classList.add('is-error');
      status.append(h('p', {}, err.message));
      yes.disabled = false;
      yes.textContent = confirmLabel;
    }
  });
  return panel(title, h('p', { id: messageId }, message), status, h('div', { class: 'form-actions' }, yes, no));
}
