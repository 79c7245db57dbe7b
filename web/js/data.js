// The five objectives change only in their counters, so breadcrumbs and key-action names can come
// from one cached list; the overview and objective pages always fetch fresh numbers.
import * as api from './api.js';
import { h } from './dom.js';

// The objectives and key actions are seeded in English whatever the reader's language: their
// titles and summaries are marked as English so that screen readers pronounce them as such.
export const SEEDED_LANG = 'en';

export function seeded(text, tag = 'span', props = {}) {
  return h(tag, { ...props, lang: SEEDED_LANG }, text);
}

let cached = null;

export async function objectives({ fresh = false } = {}) {
  if (!cached || fresh) cached = (await api.get('/objectives')).objectives;
  return cached;
}

export async function objectiveById(id) {
  const list = await objectives();
  return list.find((o) => o.id === id) || null;
}

export function keyActionTitle(objective, keyActionId) {
  const ka = objective && objective.key_actions.find((k) => k.id === keyActionId);
  return ka ? ka.title : '';
}

// The key action of an objective named by its id or its slug (as the API accepts both), or null.
export function findKeyAction(objective, idOrSlug) {
  if (!objective || idOrSlug === null || idOrSlug === undefined || idOrSlug === '') return null;
  const wanted = String(idOrSlug);
  return objective.key_actions.find((k) => String(k.id) === wanted || k.slug === wanted) || null;
}

// Addresses of the objective page, and of its list narrowed to one key action.
export function objectiveHref(objective) {
  return `#/o/${encodeURIComponent(objective.slug)}`;
}

export function keyActionHref(objective, keyAction) {
  return `${objectiveHref(objective)}?key_action=${encodeURIComponent(keyAction.id)}`;
}
