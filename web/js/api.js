// The one way the front end talks to forumd. The CSRF token lives only in this module's memory:
// never in storage, so script on another page or a stolen disk profile cannot read it.

const BASE = '/api/v1';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let csrfToken = null;
let unauthorizedHandler = () => {};
let suspendedHandler = () => {};

export function setCsrfToken(token) {
  csrfToken = token || null;
}

// Called when the server says the session is gone, so the header can stop saying "signed in".
export function onUnauthorized(fn) {
  unauthorizedHandler = fn;
}

// Called when a write is refused because the account is suspended, so the banner can appear.
export function onSuspended(fn) {
  suspendedHandler = fn;
}

export class ApiError extends Error {
  constructor(status, code, message, field = null, retryAfter = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
  }
}

function waitText(seconds) {
  if (!Number.isFinite(seconds) || seconds <= 0) return 'a moment';
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

async function toError(res) {
  let body = null;
  try {
    body = await res.json();
  } catch {
    // A proxy or a crash may answer with something other than our JSON; fall through.
  }
  const e = body && body.error ? body.error : {};
  const retry = parseInt(res.headers.get('Retry-After') || '', 10);
  if (res.status === 429 || res.status === 503) {
    const what = res.status === 429 ? 'Too many requests right now.' : 'The forum is busy right now.';
    return new ApiError(res.status, e.code || 'rate_limited',
      `${what} Please wait ${waitText(retry)} and try again; nothing you typed has been lost.`,
      null, Number.isFinite(retry) ? retry : null);
  }
  const fallback = res.status >= 500
    ? 'The forum had a problem handling this request. Please try again later.'
    : `The request failed (HTTP ${res.status}).`;
  return new ApiError(res.status, e.code || 'http_error', e.message || fallback, e.field || null);
}

function url(path, query) {
  const params = new URLSearchParams();
  Object.entries(query || {}).forEach(([k, v]) => {
    if (v !== null && v !== undefined && v !== '') params.set(k, String(v));
  });
  const qs = params.toString();
  return BASE + path + (qs ? `?${qs}` : '');
}

async function send(method, path, { body, query } = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin' };
  if (UNSAFE.has(method)) {
    headers['Content-Type'] = 'application/json';
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
    if (body !== undefined) init.body = JSON.stringify(body);
  }
  try {
    return await fetch(url(path, query), init);
  } catch {
    throw new ApiError(0, 'network',
      'The forum could not be reached. Check your connection and try again; nothing you typed has been lost.');
  }
}

export async function request(method, path, options = {}) {
  let res = await send(method, path, options);
  // A token from another tab's sign-in, or none at all after a reload race: fetch the current
  // one once and retry, rather than making the person resubmit.
  if (res.status === 403 && UNSAFE.has(method)) {
    const err = await toError(res.clone());
    if (err.code === 'csrf_failed') {
      const me = await send('GET', '/me');
      if (me.ok) {
        setCsrfToken((await me.json()).csrf_token);
        res = await send(method, path, options);
      } else {
        res = me;
      }
    }
  }
  if (res.status === 204) {
    await res.text().catch(() => '');
    return null;
  }
  if (!res.ok) {
    const err = await toError(res);
    // A wrong password (sign-in, or confirming an account's deletion) does not end the session.
    if (res.status === 401 && path !== '/auth/login' && err.code !== 'invalid_credentials') unauthorizedHandler();
    if (res.status === 403 && err.code === 'suspended') suspendedHandler();
    throw err;
  }
  return res.json();
}

export const get = (path, query) => request('GET', path, { query });
export const post = (path, body) => request('POST', path, { body });
export const patch = (path, body) => request('PATCH', path, { body });
export const put = (path, body) => request('PUT', path, { body });
export const del = (path) => request('DELETE', path);
