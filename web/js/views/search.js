// Full-text search of the visible contributions (GET /search), with filters by objective, key
// action, stakeholder type, country and date. The address holds the whole query, so a search can be
// bookmarked, shared and gone back to; "More results" follows the server's cursor.
import { append, h, setSanitisedHtml } from '../dom.js';
import * as api from '../api.js';
import * as data from '../data.js';
import { countryGroups } from '../countries.js';
import { timeEl } from '../format.js';
import { buttonRow, field, formErrors } from '../forms.js';
import { STAKEHOLDER_TYPES } from '../labels.js';
import { authorName, loadMore, notice, pageHeading, setTitle } from '../ui.js';

const PAGE = 20;
const FILTERS = ['objective', 'key_action', 'stakeholder_type', 'country', 'from', 'to'];

const TEXT = {
  title: 'Search',
  lead: 'Search the contributions to every discussion of the forum. Hidden and withdrawn contributions are never found.',
  query: 'Search for',
  queryHint: 'Words, "exact phrases", prefix* (3 letters or more) and -word to leave out.',
  help: 'How to search',
  filters: 'Narrow the results',
  submit: 'Search',
  reset: 'Clear the filters',
  results: 'Results',
  none: 'No contributions match this search. Try fewer or other words, or fewer filters.',
  more: 'More results',
  count: (n, more) => `${n.toLocaleString('en-GB')} result${n === 1 ? '' : 's'} shown${more ? '; more are available' : ''}.`,
  unavailable: 'Search is not available on this server right now.',
};

function helpSection() {
  return h('details', { class: 'search-help' },
    h('summary', {}, TEXT.help),
    h('ul', {},
      h('li', {}, h('code', {}, 'border security'), ': contributions with both words, anywhere in the text.'),
      h('li', {}, h('code', {}, '"critical infrastructure"'), ': the words together, in this order.'),
      h('li', {}, h('code', {}, 'cyber*'), ': words beginning with these letters (cyber, cybersecurity…); at least 3 letters before the star.'),
      h('li', {}, h('code', {}, 'ransomware -hospital'), ': leave out contributions with the word after the minus sign.'),
      h('li', {}, 'Capitals and accents do not matter: ', h('code', {}, 'securite'), ' also finds \u201cs\u00e9curit\u00e9\u201d. '
        + 'Other punctuation is ignored, and words such as AND, OR and NEAR are searched for as words.')));
}

function optionList(items) {
  return items.map((o) => ({ value: String(o.value), label: o.label }));
}

function searchForm(objectives, query) {
  const form = h('form', { class: 'form form--wide search-form', role: 'search', 'aria-label': 'Search contributions' });
  const q = field({
    name: 'q', label: TEXT.query, type: 'search', required: true, value: query.get('q') || '', hint: TEXT.queryHint,
    attrs: { maxlength: '256', spellcheck: 'false' },
  });
  const objective = field({
    name: 'objective', label: 'Strategic objective', type: 'select', placeholder: 'All objectives',
    options: objectives.map((o) => ({ value: o.slug, label: `${o.number}. ${o.title}` })),
  });
  const keyAction = field({ name: 'key_action', label: 'Key action', type: 'select' });
  const type = field({
    name: 'stakeholder_type', label: 'Stakeholder type', type: 'select', placeholder: 'All stakeholder types',
    options: optionList(STAKEHOLDER_TYPES),
  });
  const country = field({
    name: 'country', label: 'Country', type: 'select', placeholder: 'All countries', options: countryGroups(),
  });
  const from = field({ name: 'from', label: 'From (day)', type: 'date', hint: 'Contributions written on or after this day (UTC).' });
  const to = field({ name: 'to', label: 'To (day)', type: 'date', hint: 'Up to and including this day (UTC).' });

  // The key actions offered follow the objective: all of them, by objective, when none is chosen.
  const fillKeyActions = () => {
    const chosen = objectives.find((o) => o.slug === objective.control.value);
    const keep = keyAction.control.value;
    const opts = chosen
      ? chosen.key_actions.map((k) => h('option', { value: String(k.id) }, k.title))
      : objectives.filter((o) => o.key_actions.length).map((o) => h('optgroup', { label: `${o.number}. ${o.title}` },
        o.key_actions.map((k) => h('option', { value: String(k.id) }, k.title))));
    keyAction.control.replaceChildren(h('option', { value: '' }, 'All key actions'), ...opts);
    keyAction.control.value = keep;
    if (keyAction.control.value !== keep) keyAction.control.value = '';
  };
  const wantedObjective = query.get('objective') || '';
  const found = objectives.find((o) => o.slug === wantedObjective || String(o.id) === wantedObjective);
  objective.control.value = found ? found.slug : '';
  fillKeyActions();
  keyAction.control.value = query.get('key_action') || '';
  objective.control.addEventListener('change', fillKeyActions);
  // A key action chosen without its objective: the objective follows, so the two agree.
  keyAction.control.addEventListener('change', () => {
    if (objective.control.value || !keyAction.control.value) return;
    const owner = objectives.find((o) => o.key_actions.some((k) => String(k.id) === keyAction.control.value));
    if (owner) {
      objective.control.value = owner.slug;
      fillKeyActions();
    }
  });
  type.control.value = query.get('stakeholder_type') || '';
  country.control.value = query.get('country') || '';
  from.control.value = query.get('from') || '';
  to.control.value = query.get('to') || '';

  const submit = h('button', { type: 'submit', class: 'button' }, TEXT.submit);
  const reset = h('button', { type: 'button', class: 'button button--secondary' }, TEXT.reset);
  reset.addEventListener('click', () => {
    [objective, type, country, from, to].forEach((f) => { f.control.value = ''; });
    fillKeyActions();
    keyAction.control.value = '';
    objective.control.focus();
  });
  const errors = formErrors(form);
  const activeFilters = FILTERS.some((k) => query.get(k));
  form.append(
    q.wrap,
    h('details', { class: 'search-filters', open: activeFilters },
      h('summary', {}, TEXT.filters),
      h('div', { class: 'filter-grid' }, objective.wrap, keyAction.wrap, type.wrap, country.wrap, from.wrap, to.wrap),
      h('div', { class: 'form-actions' }, reset)),
    errors.region,
    buttonRow(submit));
  form.setAttribute('novalidate', '');
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    errors.clear();
    const text = q.control.value.trim();
    if (!text) {
      errors.show({ field: 'q', message: 'Type at least one word to search for.' });
      return;
    }
    if (from.control.value && to.control.value && from.control.value > to.control.value) {
      errors.show({ field: 'to', message: 'The \u201cto\u201d day is before the \u201cfrom\u201d day.' });
      return;
    }
    const params = new URLSearchParams({ q: text });
    [objective, keyAction, type, country, from, to].forEach((f) => {
      if (f.control.value) params.set(f.control.name, f.control.value);
    });
    const next = `#/search?${params.toString()}`;
    if (window.location.hash === next) window.dispatchEvent(new HashChangeEvent('hashchange'));
    else window.location.hash = next;
  });
  return { form, errors, q };
}

function resultItem(hit, objectives, objectiveId) {
  const post = hit.post || {};
  const objectiveEl = h('span', { class: 'search-objective' });
  const showObjective = (id) => {
    const o = objectives.find((x) => x.id === id);
    if (o) objectiveEl.textContent = `Objective ${o.number}: ${o.title}`;
    else objectiveEl.remove();
  };
  showObjective(hit.objective_id || objectiveId);
  const snippet = setSanitisedHtml(h('p', { class: 'search-snippet' }), hit.snippet || '');
  return h('li', { class: 'search-result' },
    h('h3', { class: 'search-result-title' },
      h('a', { href: `#/t/${hit.thread_id}?post=${post.id}` }, hit.thread_title || `Thread ${hit.thread_id}`)),
    snippet,
    h('p', { class: 'meta meta--quiet' },
      h('span', { class: 'byline-name' }, authorName(post.author, post.anonymous)),
      post.created_at ? h('span', {}, timeEl(post.created_at)) : null,
      objectiveEl));
}

export async function render(root, { query, signal }) {
  const objectives = await data.objectives().catch(() => []);
  const text = (query.get('q') || '').trim();
  setTitle(text ? `${TEXT.title}: ${text}` : TEXT.title);
  const { form, errors, q } = searchForm(objectives, query);
  append(root, pageHeading(TEXT.title), h('p', { class: 'lead' }, TEXT.lead), helpSection(), form);
  if (!text) return { focus: null };

  const params = { q: text, limit: PAGE };
  FILTERS.forEach((k) => { if (query.get(k)) params[k] = query.get(k); });
  const chosen = objectives.find((o) => o.slug === params.objective || String(o.id) === params.objective);
  // The objective of every result is known when the search is narrowed to one.
  const fixedObjective = chosen ? chosen.id : null;

  const status = h('p', { class: 'search-count', role: 'status' });
  const list = h('ol', { class: 'search-results' });
  const section = h('section', { class: 'search-results-section', 'aria-labelledby': 'results-heading' },
    h('h2', { id: 'results-heading' }, TEXT.results), status);
  append(root, section);

  let first;
  try {
    first = await api.get('/search', params);
  } catch (err) {
    if (err.status === 400) {
      // The server explains what is wrong with the query or a filter: say it beside that field.
      errors.show(err);
      const control = err.field ? form.elements.namedItem(err.field) : null;
      if (control && control.closest('details')) control.closest('details').open = true;
      section.remove();
      return { focus: control instanceof HTMLElement ? control : q.control };
    }
    if (err.status === 404) {
      section.replaceChildren(notice(TEXT.unavailable, 'error', { role: 'alert' }));
      return null;
    }
    throw err;
  }

  let shown = 0;
  const add = (results) => results.map((hit) => {
    const li = resultItem(hit, objectives, fixedObjective);
    list.append(li);
    shown += 1;
    return li;
  });
  add(first.results || []);
  let cursor = first.next_cursor;
  // Written once the page is in place, so the polite status is read out.
  window.setTimeout(() => { status.textContent = shown ? TEXT.count(shown, !!cursor) : TEXT.none; }, 100);
  if (shown) section.append(list);
  if (cursor) {
    section.append(loadMore(TEXT.more, async () => {
      const page = await api.get('/search', { ...params, cursor });
      cursor = page.next_cursor;
      const added = add(page.results || []);
      if (added.length) added[0].querySelector('a').focus();
      status.textContent = TEXT.count(shown, !!cursor);
      return !!cursor;
    }));
  }
  return null;
}
