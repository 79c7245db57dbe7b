// A small client of forumd's JSON API for setting the scene (users, threads, posts, flags) fast,
// so that each journey only drives through the browser what it is about.
export class ApiError extends Error {
  constructor(method, path, status, body) {
    const e = body && body.error;
    super(`${method} ${path} -> ${status}${e ? ` ${e.code}: ${e.message}${e.field ? ` (field ${e.field})` : ''}` : ''}`);
    this.status = status;
    this.code = e ? e.code : null;
  }
}

export class Api {
  constructor(base, { cookie = null, csrf = null, user = null } = {}) {
    this.base = base;
    this.cookie = cookie;
    this.csrf = csrf;
    this.user = user;
  }

  async request(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.cookie) headers.Cookie = this.cookie;
    if (this.csrf && method !== 'GET') headers['X-CSRF-Token'] = this.csrf;
    const res = await fetch(`${this.base}/api/v1${path}`, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    if (!res.ok) throw new ApiError(method, path, res.status, data);
    return { status: res.status, data, headers: res.headers };
  }

  async get(path) { return (await this.request('GET', path)).data; }

  async post(path, body = {}) { return (await this.request('POST', path, body)).data; }

  async patch(path, body = {}) { return (await this.request('PATCH', path, body)).data; }

  async put(path, body) { return (await this.request('PUT', path, body)).data; }

  async del(path, body) { return (await this.request('DELETE', path, body)).data; }

  // A signed-in client (session cookie and CSRF token) for this person.
  async signIn(email, password) {
    const { data, headers } = await this.request('POST', '/auth/login', { email, password });
    const setCookie = headers.getSetCookie ? headers.getSetCookie() : [headers.get('set-cookie')];
    const session = setCookie.map((c) => /forumd_session=([^;]+)/.exec(c || '')).find(Boolean);
    if (!session) throw new Error(`login as ${email}: no forumd_session cookie`);
    return new Api(this.base, { cookie: `forumd_session=${session[1]}`, csrf: data.csrf_token, user: data.user });
  }

  async register(person) {
    const body = {
      email: person.email, password: person.password, display_name: person.displayName,
      stakeholder_type: person.stakeholderType,
    };
    if (person.organisation) body.organisation = person.organisation;
    if (person.country) body.country = person.country;
    if (person.transparencyRegisterId) body.transparency_register_id = person.transparencyRegisterId;
    return (await this.post('/auth/register', body)).user;
  }

  // Objective slug or id -> the objective with its key actions.
  async objective(slugOrId) {
    return (await this.get(`/objectives/${encodeURIComponent(slugOrId)}`)).objective;
  }

  // { title, body, keyAction (slug), closesAt (Date|ISO), official, anonymous, language }
  async createThread(objectiveSlug, { title, body, keyAction, closesAt, ...rest }) {
    const objective = await this.objective(objectiveSlug);
    const payload = { title, body, ...rest };
    if (keyAction) {
      const ka = objective.key_actions.find((k) => k.slug === keyAction);
      if (!ka) throw new Error(`no key action ${keyAction} in ${objectiveSlug}`);
      payload.key_action_id = ka.id;
    }
    if (closesAt) payload.consultation = { closes_at: isoSeconds(closesAt) };
    return this.post(`/objectives/${objective.id}/threads`, payload); // { thread, post }
  }

  async reply(threadId, body, { parent = null, ...rest } = {}) {
    const payload = { body, ...rest };
    if (parent) payload.parent_id = typeof parent === 'object' ? parent.id : parent;
    return (await this.post(`/threads/${threadId}/posts`, payload)).post;
  }
}

// RFC 3339 without fractions, as the API takes it.
export function isoSeconds(when) {
  const d = when instanceof Date ? when : new Date(when);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
