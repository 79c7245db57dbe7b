// The one way the front end talks to forumd. The CSRF token lives only in this module's memory:
// never in storage, so script on another page or a stolen disk profile cannot read it.

import { language, t } from './i18n.js';

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
  constructor(status, code, message, field = null, retryAfter = null, detail = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
    // The server's own (English) wording when the message shown is a translation of it: forms
    // show it as a detail, marked as English, for what a generic translation cannot say.
    this.detail = detail;
  }
}

// One sentence per error code of the API (spec: Conventions), in the reader's language.
const CODE_TEXT = {
  bad_request: t('error.bad_request'),
  invalid_json: t('error.invalid_json'),
  validation_failed: t('error.validation_failed'),
  validation_error: t('error.validation_failed'),
  unauthorized: t('error.unauthorized'),
  invalid_credentials: t('error.invalid_credentials'),
  forbidden: t('error.forbidden'),
  csrf_failed: t('error.csrf_failed'),
  suspended: t('error.suspended'),
  not_found: t('error.not_found'),
  method_not_allowed: t('error.method_not_allowed'),
  conflict: t('error.conflict'),
  thread_locked: t('error.thread_locked'),
  consultation_closed: t('error.consultation_closed'),
  payload_too_large: t('error.payload_too_large'),
  rate_limited: t('error.rate_limited'),
  internal: t('error.internal'),
  unavailable: t('error.unavailable'),
  insufficient_storage: t('error.insufficient_storage'),
};

// The server's messages that say more than their code, word for word, with their translations.
const KNOWN_MESSAGES = {
  'An account with this email address exists already.': t('error.msg.emailTaken'),
  'The email address or password is not correct.': t('error.msg.badLogin'),
  'The password is not correct.': t('error.msg.wrongPassword'),
  'The current password is not correct.': t('error.msg.currentPasswordWrong'),
  'You posted this same text a moment ago.': t('error.msg.duplicatePost'),
  'Please sign in first.': t('error.msg.signInFirst'),
  'The API token is not valid.': t('error.msg.badToken'),
  'Only administrators may do this.': t('error.msg.adminsOnly'),
  'Only moderators and administrators may do this.': t('error.msg.staffOnly'),
  'There is nothing at this address.': t('error.msg.nothingHere'),
  'Member State accounts must give one of the 27 EU Member States as country.': t('error.msg.memberStateCountry'),
  'country must be an ISO 3166-1 alpha-2 code.': t('error.msg.countryCode'),
  'You have already flagged this contribution.': t('error.msg.alreadyFlagged'),
  'You cannot flag your own contribution.': t('error.msg.ownFlag'),
  'Say what is wrong when the reason is other.': t('error.msg.flagTextNeeded'),
  'This flag has already been resolved.': t('error.msg.flagResolved'),
  'This flag is about an objective you do not moderate.': t('error.msg.flagOtherObjective'),
  'This contribution was hidden by a moderator and cannot be edited.': t('error.msg.hiddenNoEdit'),
  'A withdrawn contribution cannot be edited.': t('error.msg.withdrawnNoEdit'),
  'Only the author or a moderator may edit this contribution.': t('error.msg.editNotAllowed'),
  'Only its author may withdraw a contribution.': t('error.msg.withdrawNotAllowed'),
  'Only moderators of this objective and administrators may post official answers.': t('error.msg.officialNotAllowed'),
  'Only moderators of this objective and administrators may open consultations.': t('error.msg.consultationNotAllowed'),
  'closes_at must be after the opening time.': t('error.msg.closesAfterOpens'),
  'This key action does not belong to the objective.': t('error.msg.keyActionElsewhere'),
  "This key action does not belong to the thread's objective.": t('error.msg.keyActionElsewhere'),
  "You do not moderate this thread's objective.": t('error.msg.notYourObjective'),
  'You do not moderate the objective to move the thread to.': t('error.msg.moveNotAllowed'),
  'Only moderators of every objective and administrators suspend accounts.': t('error.msg.suspendNotAllowed'),
  'You cannot suspend yourself.': t('error.msg.suspendSelf'),
  'Only an administrator may suspend a moderator or administrator.': t('error.msg.suspendStaff'),
  'until must be in the future.': t('error.msg.untilPast'),
  'Only administrators change roles.': t('error.msg.rolesAdminsOnly'),
  'Only moderators can be limited to objectives.': t('error.msg.scopeModeratorsOnly'),
  'The forum would be left without an administrator.': t('error.msg.lastAdmin'),
  'You are the last administrator: make someone else an administrator first.': t('error.msg.lastAdminErase'),
  'The cursor is not valid; start again from the first page.': t('error.msg.badCursor'),
  'Your account is suspended.': t('error.suspended'),
};

// Server messages with a number in them, whatever their code.
const KNOWN_PATTERNS = [
  [/^During their first day, accounts may put at most (\d+) links? in a contribution\.$/,
    (m) => t('error.msg.newAccountLinks', { count: Number(m[1]) })],
];

// The field-independent part of the server's validation messages ("display_name must be 1 to 80
// characters long."): the field itself is marked beside its input, so the wording need not name it.
const VALIDATION = [
  [/^\S+ must be (\d+) to (\d+) characters long\.$/, (m) => t('error.validation.length', { min: Number(m[1]), max: Number(m[2]) })],
  [/^\S+ must not be blank\.$/, () => t('error.validation.blank')],
  [/^\S+ is required\.$/, () => t('error.validation.required')],
  [/^\S+ is not valid\.$/, () => t('error.validation.invalid')],
  [/^\S+ must be (a string|a positive integer id|true or false)\.$/, () => t('error.validation.invalid')],
  [/^\S+ must not contain NUL characters\.$/, () => t('error.validation.nul')],
  [/^Unknown field /, () => t('error.validation.unknownField')],
];

// What to say for an error answer: a translation of the server's very message when we know it,
// then the field-independent validation wordings, then one sentence for the code. English readers
// get the server's own message in place of the code's generic sentence (it is more precise).
function describe(code, serverMessage) {
  if (serverMessage && Object.hasOwn(KNOWN_MESSAGES, serverMessage)) return { message: KNOWN_MESSAGES[serverMessage] };
  for (const [re, text] of serverMessage ? KNOWN_PATTERNS : []) {
    const m = re.exec(serverMessage);
    if (m) return { message: text(m) };
  }
  if (serverMessage && (code === 'validation_failed' || code === 'validation_error')) {
    for (const [re, text] of VALIDATION) {
      const m = re.exec(serverMessage);
      if (m) return { message: text(m), detail: serverMessage, fieldIndependent: true };
    }
  }
  if (serverMessage && language() === 'en') return { message: serverMessage };
  if (Object.hasOwn(CODE_TEXT, code)) {
    return { message: CODE_TEXT[code], detail: serverMessage || null };
  }
  return { message: serverMessage || null };
}

function busyText(status, seconds) {
  const limited = status === 429;
  if (!Number.isFinite(seconds) || seconds <= 0) return limited ? t('error.rate_limited') : t('error.unavailable');
  if (seconds < 90) {
    return limited ? t('error.rate_limited_seconds', { count: seconds }) : t('error.unavailable_seconds', { count: seconds });
  }
  const minutes = Math.ceil(seconds / 60);
  return limited ? t('error.rate_limited_minutes', { count: minutes }) : t('error.unavailable_minutes', { count: minutes });
}

// Also for answers fetched outside request() (downloads.js checks a file before following its link).
export async function toError(res) {
  let body = null;
  try {
    body = await res.json();
  } catch {
    // A proxy or a crash may answer with something other than our JSON; fall through.
  }
  const e = body && body.error ? body.error : {};
  const retry = parseInt(res.headers.get('Retry-After') || '', 10);
  if (res.status === 429 || res.status === 503) {
    return new ApiError(res.status, e.code || (res.status === 429 ? 'rate_limited' : 'unavailable'),
      busyText(res.status, retry), null, Number.isFinite(retry) ? retry : null);
  }
  const code = e.code || 'http_error';
  const { message, detail = null, fieldIndependent = false } = describe(code, typeof e.message === 'string' ? e.message : '');
  const fallback = res.status >= 500 ? t('error.internal') : t('error.http', { status: String(res.status) });
  const err = new ApiError(res.status, code, message || fallback, e.field || null, null, detail);
  // The wording leaves the field out: right beside its input, but vague anywhere else.
  err.fieldIndependent = fieldIndependent;
  return err;
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
    throw new ApiError(0, 'network', t('error.network'));
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
