// The search box in the header of every page. It leads to the search page (#/search?q=), which
// does the searching and explains the syntax; here the box only keeps in step with the address.
import { h } from './dom.js';
import { t } from './i18n.js';

let input = null;

export function mount(container) {
  input = h('input', {
    type: 'search', id: 'site-search-q', name: 'q', class: 'site-search-input', maxlength: '256',
    autocomplete: 'off', spellcheck: 'false',
  });
  const form = h('form', { class: 'site-search', role: 'search', 'aria-label': t('searchBox.region') },
    h('label', { for: 'site-search-q', class: 'visually-hidden' }, t('searchBox.label')),
    input,
    h('button', { type: 'submit', class: 'site-search-button' }, t('searchBox.submit')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = input.value.trim();
    // An empty box still goes to the search page, where the syntax is explained.
    const next = q ? `#/search?${new URLSearchParams({ q }).toString()}` : '#/search';
    if (window.location.hash === next) window.dispatchEvent(new HashChangeEvent('hashchange'));
    else window.location.hash = next;
  });
  container.replaceChildren(form);
}

// Shows the current search's words on the search page, and nothing elsewhere.
export function sync(path, query) {
  if (!input || document.activeElement === input) return;
  input.value = path === '/search' ? (query.get('q') || '') : '';
}
