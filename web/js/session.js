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

// A write refused with `suspended` means the account was suspended since we last asked: ask again,
// so the suspension banner appears and writing controls go away on the next page.
api.onSuspended(() => {
  load();
});

export const currentUser = () => user;
export const isModerator = () => !!user && (user.role === 'moderator' || user.role === 'admin');

// Staff of one objective: admins everywhere; moderators everywhere unless `moderates` lists the
// objectives they look after. An older server that sends no `moderates` means "all".
export function moderates(objectiveId) {
  if (!user) return false;
  if (user.role === 'admin') return true;
  if (user.role !== 'moderator') return false;
  return !Array.isArray(user.moderates) || user.moderates.includes(Number(objectiveId));
}

// Suspending accounts needs a moderator of every objective, or an admin.
export function canSuspend() {
  if (!user) return false;
  return user.role === 'admin' || (user.role === 'moderator' && !Array.isArray(user.moderates));
}

// { until, reason } while the signed-in account is suspended, otherwise null.
export function suspension() {
  if (!user || !user.suspended_until) return null;
  const until = new Date(user.suspended_until);
  if (!(until > new Date())) return null;
  return { until: user.suspended_until, reason: user.suspension_reason || '' };
}

// Signed in and allowed to write: every write of a suspended account is refused.
export const canWrite = () => !!user && !suspension();

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

// The profile changed (PATCH /me answered with the new user): same session, new details, so the
// header shows the new name at once.
export function updateUser(nextUser) {
  if (!user || !nextUser) return;
  user = { ...user, ...nextUser };
  listeners.forEach((fn) => fn(user));
}

// The password changed (POST /me/password): the server ended every session of the account and
// gave this browser a new one, with a new CSRF token; writes from now on must send that one.
export function renewed(nextUser, token) {
  set(nextUser ? { ...(user || {}), ...nextUser } : user, token);
}

// The account is gone (erased): forget it without asking the server.
export function forget() {
  set(null, null);
}

export async function signOut() {
  try {
    await api.post('/auth/logout');
  } finally {
    set(null, null);
  }
}
