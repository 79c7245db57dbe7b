// The five objectives change only in their counters, so breadcrumbs and key-action names can come
// from one cached list; the overview and objective pages always fetch fresh numbers.
import * as api from './api.js';

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
