// What the signed-in person follows (objectives, key actions, threads), cached for the pages'
// Follow buttons, and the buttons themselves. Following is how notifications are asked for: a
// followed objective or key action reports new threads, a followed thread new contributions.
import { h } from './dom.js';
import * as api from './api.js';
import * as session from './session.js';
import { t } from './i18n.js';
import { announce } from './ui.js';

const TEXT = {
  objective: {
    label: t('follows.objective.label'),
    on: t('follows.objective.on'),
    off: t('follows.objective.off'),
  },
  key_action: {
    label: t('follows.keyAction.label'),
    on: t('follows.keyAction.on'),
    off: t('follows.keyAction.off'),
  },
  thread: {
    label: t('follows.thread.label'),
    on: t('follows.thread.on'),
    off: t('follows.thread.off'),
  },
};

// API paths and the field of GET /me/follows for each kind.
const KINDS = {
  objective: { path: 'objectives', list: 'objectives' },
  key_action: { path: 'key-actions', list: 'key_actions' },
  thread: { path: 'threads', list: 'threads' },
};

// A minute is enough: a thread one starts is followed automatically, so the compose view drops the
// cache, and other tabs' changes show up soon enough.
const MAX_AGE = 60 * 1000;

let cache = null; // { userId, at, promise }

export function invalidate() {
  cache = null;
}

session.onChange(() => {
  const user = session.currentUser();
  if (!user || !cache || cache.userId !== user.id) cache = null;
});

function toSets(res) {
  const out = {};
  Object.entries(KINDS).forEach(([kind, { list }]) => {
    out[kind] = new Set((res && Array.isArray(res[list]) ? res[list] : []).map(Number));
  });
  return out;
}

// Resolves to { objective: Set, key_action: Set, thread: Set } of ids, or null when signed out.
export function load({ fresh = false } = {}) {
  const user = session.currentUser();
  if (!user) return Promise.resolve(null);
  if (!fresh && cache && cache.userId === user.id && Date.now() - cache.at < MAX_AGE) return cache.promise;
  const promise = api.get('/me/follows').then(toSets);
  const entry = { userId: user.id, at: Date.now(), promise };
  cache = entry;
  // A failed answer is not kept: the next page asks again.
  promise.catch(() => { if (cache === entry) cache = null; });
  return promise;
}

// Loads the state for a page without ever failing it: null when signed out or unknown.
export function loadQuietly() {
  return load().catch(() => null);
}

// A toggle button (aria-pressed) for one target. state: what load() resolved to; null gives no
// button, since following needs a signed-in person and a known state. The label stays the same in
// both states, as a toggle button's should; the pressed look and a check mark show "following".
// options.label replaces the label (a list of followed items says "Follow" beside each name, and
// options.describedBy names the element that says what is followed).
export function followButton(kind, id, state, { label: labelText = null, describedBy = null } = {}) {
  if (!state || !session.currentUser() || !KINDS[kind]) return null;
  const text = TEXT[kind];
  const numericId = Number(id);
  let pressed = state[kind].has(numericId);
  let busy = false;
  const label = h('span', { class: 'follow-label' }, labelText || text.label);
  const button = h('button', {
    type: 'button', class: 'button button--secondary button--small follow-button', 'aria-pressed': String(pressed),
    'aria-describedby': describedBy,
  }, h('span', { class: 'follow-mark', 'aria-hidden': 'true' }), label);
  const status = h('span', { class: 'follow-error', role: 'alert' });

  const show = (value) => {
    pressed = value;
    button.setAttribute('aria-pressed', String(pressed));
  };

  button.addEventListener('click', async () => {
    // Not `disabled`: a disabled button drops keyboard focus.
    if (busy) return;
    busy = true;
    button.setAttribute('aria-busy', 'true');
    status.textContent = '';
    const want = !pressed;
    const path = `/${KINDS[kind].path}/${encodeURIComponent(id)}/follow`;
    try {
      if (want) await api.put(path, {});
      else await api.del(path);
      show(want);
      announce(want ? text.on : text.off);
      // Ask the server what it now holds, so every page agrees with it.
      const fresh = await load({ fresh: true }).catch(() => null);
      if (fresh) show(fresh[kind].has(numericId));
    } catch (err) {
      status.textContent = err.message;
    } finally {
      busy = false;
      button.removeAttribute('aria-busy');
    }
  });
  return h('span', { class: 'follow' }, button, status);
}
