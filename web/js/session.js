// Who is signed in. The session itself is an HttpOnly cookie; we only mirror the user object.
import * as api from './api.js';

let user = null;
const listeners = new Set();

function set(nextUser, token) {
  user = nextUser || null;
  api.setCsrfToken(token);
  listeners.forEach((fn) => fn(user));
}

api.onUnauthorized(() => {
  if (user) set(null, null);
});

export const currentUser = () => user;
export const isModerator = () => !!user && (user.role === 'moderator' || user.role === 'admin');

export function onChange(fn) {
  listeners.add(fn);
}

export async function load() {
  try {
    const res = await api.get('/me');
    set(res.user, res.csrf_token);
  } catch {
    // 401 is the normal signed-out answer; a network failure leaves us browsing signed out too.
    set(null, null);
  }
}

export async function signIn(email, password) {
  const res = await api.post('/auth/login', { email, password });
  set(res.user, res.csrf_token);
  return res.user;
}

export async function signOut() {
  try {
    await api.post('/auth/logout');
  } finally {
    set(null, null);
  }
}
