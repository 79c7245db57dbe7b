// A minimal test runner around playwright-core (which has no runner of its own): named tests run
// one after the other, each with its own browser contexts, a time limit, clear failure messages
// naming the step that failed, and a full-page screenshot of every open page on failure.
import fs from 'node:fs';
import path from 'node:path';

const tests = [];
// Warnings of the front end's i18n module about missing catalogue keys: { text, url, test }.
export const i18nLog = [];

// fn(t) where t is a TestContext; options: { timeout (ms) }.
export function test(name, fn, options = {}) {
  tests.push({ name, fn, timeout: options.timeout || 45000, tags: options.tags || [] });
}

export function registeredTests() {
  return tests;
}

export class AssertionError extends Error {}

export function assert(condition, message) {
  if (!condition) throw new AssertionError(message);
}

// Polls fn until it returns a truthy value (which is returned), or fails with `message`.
export async function eventually(fn, message, { timeout = 10000, interval = 100 } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) {
      const why = last instanceof Error ? ` (last error: ${last.message.split('\n')[0]})` : '';
      throw new AssertionError(`${message} [waited ${timeout} ms]${why}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

export function slug(s) {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

export class TestContext {
  constructor(env, name) {
    this.env = env;
    this.name = name;
    this.contexts = [];
    this.pageErrors = [];
    this.notes = [];
    this.currentStep = null;
  }

  // A new browser context (English, desktop, unless told otherwise). Every page opened in it is
  // watched for uncaught exceptions and CSP refusals, which fail the test.
  async context(options = {}) {
    const { label = `context ${this.contexts.length + 1}`, ...rest } = options;
    const ctx = await this.env.browser.newContext({
      baseURL: this.env.base,
      locale: 'en-GB',
      timezoneId: 'Europe/Brussels',
      viewport: { width: 1280, height: 800 },
      ...rest,
    });
    ctx.setDefaultTimeout(10000);
    ctx.setDefaultNavigationTimeout(15000);
    ctx.btLabel = label;
    ctx.on('page', (page) => this.watch(page, label));
    this.contexts.push(ctx);
    return ctx;
  }

  watch(page, label) {
    page.on('pageerror', (err) => {
      this.pageErrors.push(`${label}: uncaught ${err.name || 'error'} in the page at ${safeUrl(page)}: ${err.message}`);
    });
    page.on('console', (msg) => {
      const text = msg.text();
      if (msg.type() === 'error' && /Content Security Policy|Refused to/.test(text)) {
        this.pageErrors.push(`${label}: CSP refusal at ${safeUrl(page)}: ${text}`);
      }
      // i18n.js warns about keys missing from a catalogue (text shown as the key, or in English).
      if (msg.type() === 'warning' && /^i18n: /.test(text)) {
        i18nLog.push({ text: text.replace(/^i18n: /, ''), url: safeUrl(page), test: this.name });
      }
    });
  }

  // A context with a page, signed in as `person` (the session cookie is set through the
  // context's own request API, so the browser holds it), or anonymous when person is null.
  async page(person = null, options = {}) {
    const ctx = await this.context({ label: person ? person.displayName : 'anonymous', ...options });
    if (person) {
      const res = await ctx.request.post('/api/v1/auth/login', { data: { email: person.email, password: person.password } });
      assert(res.ok(), `signing in ${person.email} through the API failed: HTTP ${res.status()} ${await res.text()}`);
    }
    const page = await ctx.newPage();
    return page;
  }

  // Names what the test is doing, so a failure says where it happened.
  async step(name, fn) {
    this.currentStep = name;
    if (this.env.verbose) console.log(`    - ${name}`);
    const r = await fn();
    return r;
  }

  note(message) {
    this.notes.push(message);
  }

  async screenshots(dir) {
    const saved = [];
    let n = 0;
    for (const ctx of this.contexts) {
      for (const page of ctx.pages()) {
        n += 1;
        const file = path.join(dir, `${slug(this.name)}-${n}-${slug(ctx.btLabel || 'page')}.png`);
        try {
          await page.screenshot({ path: file, fullPage: true, timeout: 5000 });
          saved.push(file);
        } catch {
          // A crashed or closed page has nothing to show.
        }
      }
    }
    return saved;
  }

  async close() {
    await Promise.all(this.contexts.map((c) => c.close().catch(() => {})));
    this.contexts = [];
  }
}

function safeUrl(page) {
  try {
    const u = new URL(page.url());
    return `${u.pathname}${u.hash}`;
  } catch {
    return page.url();
  }
}

export async function runTests(env, { filter = null } = {}) {
  const results = [];
  fs.mkdirSync(env.artifacts, { recursive: true });
  for (const tc of tests) {
    if (filter && !filter.some((f) => tc.name.toLowerCase().includes(f.toLowerCase()))) continue;
    const t = new TestContext(env, tc.name);
    const started = Date.now();
    let error = null;
    let timer;
    try {
      await Promise.race([
        tc.fn(t),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new AssertionError(`the test took longer than ${tc.timeout / 1000} s`)), tc.timeout);
        }),
      ]);
      if (t.pageErrors.length) throw new AssertionError(`errors in the page:\n${t.pageErrors.map((e) => `      ${e}`).join('\n')}`);
    } catch (err) {
      error = err;
    } finally {
      clearTimeout(timer);
    }
    const ms = Date.now() - started;
    const result = { name: tc.name, ok: !error, ms, notes: t.notes, step: t.currentStep };
    if (error) {
      result.message = describe(error);
      if (t.pageErrors.length && !(error instanceof AssertionError && error.message.startsWith('errors in the page'))) {
        result.message += `\n      also, errors in the page:\n${t.pageErrors.map((e) => `      ${e}`).join('\n')}`;
      }
      result.screenshots = await t.screenshots(env.artifacts);
    }
    await t.close();
    results.push(result);
    printResult(result);
  }
  return results;
}

function describe(err) {
  if (err instanceof AssertionError) return err.message;
  // Playwright's messages carry a call log; its first lines say what was waited for.
  // eslint-disable-next-line no-control-regex
  const text = String(err && err.message ? err.message : err).replace(/\x1b\[[0-9;]*m/g, '');
  const lines = text.split('\n').filter((l) => l.trim() && !/^\s*Call log:$/.test(l));
  return lines.slice(0, 8).join('\n      ');
}

function printResult(r) {
  const secs = (r.ms / 1000).toFixed(1);
  if (r.ok) {
    console.log(`  ok    ${r.name} (${secs} s)`);
  } else {
    console.log(`  FAIL  ${r.name} (${secs} s)`);
    if (r.step) console.log(`      at step: ${r.step}`);
    console.log(`      ${r.message}`);
    (r.screenshots || []).forEach((f) => console.log(`      screenshot: ${path.relative(process.cwd(), f)}`));
  }
  r.notes.forEach((n) => console.log(`      note: ${n}`));
}
