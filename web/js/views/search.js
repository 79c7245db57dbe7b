// Full-text search of the visible contributions (GET /search), with filters by objective, key
// action, stakeholder type, country and date. The address holds the whole query, so a search can be
// bookmarked, shared and gone back to; "More results" follows the server's cursor.
import { append, h, setSanitisedHtml, withNodes } from '../dom.js';
import * as api from '../api.js';
import * as data from '../data.js';
import { countryGroups } from '../countries.js';
import { t } from '../i18n.js';
import { timeEl } from '../format.js';
import { buttonRow, field, formErrors } from '../forms.js';
import { STAKEHOLDER_TYPES } from '../labels.js';
import { authorName, loadMore, notice, pageHeading, setTitle } from '../ui.js';

const PAGE = 20;
const FILTERS = ['objective', 'key_action', 'stakeholder_type', 'country', 'from', 'to'];

const TEXT = {
  title: t('search.title'),
  lead: t('search.lead'),
  query: t('search.query'),
  queryHint: t('search.queryHint'),
  help: t('search.help'),
  helpBoth: t('search.helpBoth'),
  helpPhrase: t('search.helpPhrase'),
  helpPrefix: t('search.helpPrefix'),
  helpExclude: t('search.helpExclude'),
  helpAccents: t('search.helpAccents'),
  form: t('search.form'),
  filters: t('search.filters'),
  objective: t('search.objective'),
  allObjectives: t('search.allObjectives'),
  keyAction: t('search.keyAction'),
  allKeyActions: t('search.allKeyActions'),
  type: t('search.stakeholderType'),
  allTypes: t('search.allStakeholderTypes'),
  country: t('search.country'),
  allCountries: t('search.allCountries'),
  from: t('search.from'),
  fromHint: t('search.fromHint'),
  to: t('search.to'),
  toHint: t('search.toHint'),
  submit: t('search.submit'),
  reset: t('search.reset'),
  emptyQuery: t('search.emptyQuery'),
  toBeforeFrom: t('search.toBeforeFrom'),
  results: t('search.results'),
  none: t('search.none'),
  more: t('search.more'),
  count: (n, more) => (more ? t('search.countMore', { count: n }) : t('search.count', { count: n })),
  unavailable: t('search.unavailable'),
};

// The examples are what a person types (the contributions are mostly in English), so they are
// the same in every language; the explanations around them are translated.
function helpSection() {
  const item = (text, example) => h('li', {}, withNodes(text, { example: h('code', {}, example) }));
  return h('details', { class: 'search-help' },
    h('summary', {}, TEXT.help),
    h('ul', {},
      item(TEXT.helpBoth, 'border security'),
      item(TEXT.helpPhrase, '"critical infrastructure"'),
      item(TEXT.helpPrefix, 'cyber*'),
      item(TEXT.helpExclude, 'ransomware -hospital'),
      item(TEXT.helpAccents, 'securite')));
}

const objectiveOption = (o) => t('search.objectiveOption', { number: o.number, title: o.title });

function optionList(items) {
  return items.map((o) => ({ value: String(o.value), label: o.label }));
}

function searchForm(objectives, query) {
  const form = h('form', { class: 'form form--wide search-form', role: 'search', 'aria-label': TEXT.form });
  const q = field({
    name: 'q', label: TEXT.query, type: 'search', required: true, value: query.get('q') || '', hint: TEXT.queryHint,
    attrs: { maxlength: '256', spellcheck: 'false' },
  });
  const objective = field({
    name: 'objective', label: TEXT.objective, type: 'select', placeholder: TEXT.allObjectives,
    options: objectives.map((o) => ({ value: o.slug, label: objectiveOption(o) })),
  });
  const keyAction = field({ name: 'key_action', label: TEXT.keyAction, type: 'select' });
  const type = field({
    name: 'stakeholder_type', label: TEXT.type, type: 'select', placeholder: TEXT.allTypes,
    options: optionList(STAKEHOLDER_TYPES),
  });
  const country = field({
    name: 'country', label: TEXT.country, type: 'select', placeholder: TEXT.allCountries, options: countryGroups(),
  });
  const from = field({ name: 'from', label: TEXT.from, type: 'date', hint: TEXT.fromHint });
  const to = field({ name: 'to', label: TEXT.to, type: 'date', hint: TEXT.toHint });

  // The key actions offered follow the objective: all of them, by objective, when none is chosen.
  const fillKeyActions = () => {
    const chosen = objectives.find((o) => o.slug === objective.control.value);
    const keep = keyAction.control.value;
    const opts = chosen
      ? chosen.key_actions.map((k) => h('option', { value: String(k.id), lang: data.SEEDED_LANG }, k.title))
      : objectives.filter((o) => o.key_actions.length).map((o) => h('optgroup', { label: objectiveOption(o) },
        o.key_actions.map((k) => h('option', { value: String(k.id), lang: data.SEEDED_LANG }, k.title))));
    keyAction.control.replaceChildren(h('option', { value: '' }, TEXT.allKeyActions), ...opts);
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
      errors.show({ field: 'q', message: TEXT.emptyQuery });
      return;
    }
    if (from.control.value && to.control.value && from.control.value > to.control.value) {
      errors.show({ field: 'to', message: TEXT.toBeforeFrom });
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
    if (o) objectiveEl.replaceChildren(...withNodes(t('search.resultObjective', { number: o.number }), { title: data.seeded(o.title) }));
    else objectiveEl.remove();
  };
  showObjective(hit.objective_id || objectiveId);
  const snippet = setSanitisedHtml(h('p', { class: 'search-snippet' }), hit.snippet || '');
  return h('li', { class: 'search-result' },
    h('h3', { class: 'search-result-title' },
      h('a', { href: `#/t/${hit.thread_id}?post=${post.id}` }, hit.thread_title || t('search.untitledThread', { id: hit.thread_id }))),
    snippet,
    h('p', { class: 'meta meta--quiet' },
      h('span', { class: 'byline-name' }, authorName(post.author, post.anonymous)),
      post.created_at ? h('span', {}, timeEl(post.created_at)) : null,
      objectiveEl));
}

export async function render(root, { query, signal }) {
  const objectives = await data.objectives().catch(() => []);
  const text = (query.get('q') || '').trim();
  setTitle(text ? t('search.pageTitle', { query: text }) : TEXT.title);
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
