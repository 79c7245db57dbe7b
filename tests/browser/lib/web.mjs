// Driving the forum's single-page front end: going to a #/ route and waiting until the router has
// drawn it, accessibility checks with axe-core, the no-horizontal-scroll check, keyboard moves.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { AssertionError } from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// Every axe run of the suite: { label, url, violations }. Reported (and failing the run) at the end.
export const axeLog = [];

// Waits until the router has drawn a page that was not there before `mark` (see goto), the main
// region is no longer busy, and the DOM has stopped changing for a moment (bounded).
export async function settle(page, { timeout = 15000 } = {}) {
  await page.waitForFunction(() => {
    const main = document.getElementById('main');
    return main && !main.hasAttribute('aria-busy') && main.querySelector(':scope > .page:not([data-bt-old])');
  }, null, { timeout, polling: 50 });
  await quiet(page);
}

// Resolves once nothing in the document changed for 200 ms, or after 2 s whatever happens (a
// countdown ticks every second; that is fine).
export async function quiet(page) {
  await page.evaluate(() => new Promise((resolve) => {
    let timer = null;
    const done = () => {
      observer.disconnect();
      resolve();
    };
    const observer = new MutationObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(done, 200);
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    timer = setTimeout(done, 200);
    setTimeout(done, 2000);
  }));
}

// Marks the page drawn now, so that settle() waits for the next one.
export async function markPage(page) {
  await page.evaluate(() => {
    document.querySelectorAll('#main > .page').forEach((el) => { el.dataset.btOld = '1'; });
  }).catch(() => {});
}

// Follows a link or presses a button that leads to another page (a locator is clicked; a
// function is run), and waits until that page is drawn.
export async function follow(page, action) {
  await markPage(page);
  if (typeof action === 'function') await action();
  else await action.click();
  await settle(page);
}

// Opens a #/ route the way a reader would (a link, or the address bar for the first page) and
// waits for it to be drawn.
export async function goto(page, route) {
  const hash = route.startsWith('#') ? route : `#${route}`;
  const current = page.url();
  await markPage(page);
  if (current.startsWith('http') && new URL(current).hash !== hash) {
    await page.evaluate((h) => { window.location.hash = h; }, hash);
  } else if (current.startsWith('http') && new URL(current).hash === hash) {
    await page.reload();
  } else {
    await page.goto(`/${hash}`);
  }
  await settle(page);
}

// Loads the page afresh (a real reload) at a route.
export async function load(page, route) {
  const hash = route.startsWith('#') ? route : `#${route}`;
  // Going to an address that differs from the current one only in its #fragment does not load
  // the document again: reload then.
  const sameDocument = page.url().startsWith('http');
  await page.goto(`/${hash}`);
  if (sameDocument) await page.reload();
  await settle(page);
}

// Runs axe-core on the page as it is now and records the outcome under `label`. The source is
// evaluated through the DevTools protocol, so the forum's CSP (script-src 'self') stays on.
export async function axe(page, label) {
  const has = await page.evaluate(() => typeof window.axe === 'object');
  if (!has) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags },
    resultTypes: ['violations'],
  }).then((r) => r.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({
      target: n.target.join(' '),
      html: n.html.slice(0, 160),
      summary: (n.failureSummary || '').split('\n').slice(0, 3).join(' ').replace(/\s+/g, ' ').trim(),
    })),
  }))), AXE_TAGS);
  const u = new URL(page.url());
  axeLog.push({ label, url: `${u.pathname}${u.hash}`, violations: result });
  return result;
}

export function formatViolations(violations, indent = '      ') {
  const out = [];
  for (const v of violations) {
    out.push(`${indent}- ${v.id} (${v.impact}): ${v.help}`);
    v.nodes.slice(0, 6).forEach((n) => {
      out.push(`${indent}    ${n.target}`);
      if (n.summary) out.push(`${indent}      ${n.summary.slice(0, 300)}`);
    });
    if (v.nodes.length > 6) out.push(`${indent}    … and ${v.nodes.length - 6} more`);
  }
  return out.join('\n');
}

// The page scrolls sideways when its content is wider than the viewport.
export async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const se = document.scrollingElement;
    const width = window.innerWidth;
    if (se.scrollWidth <= width) return null;
    // Name the widest culprits, to make the report useful.
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1 && el.getClientRects().length)
      .filter((el) => !el.parentElement || el.parentElement.getBoundingClientRect().right <= width + 1)
      .slice(0, 5)
      .map((el) => {
        const cls = el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
        return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${cls} (right edge ${Math.round(el.getBoundingClientRect().right)} px)`;
      });
    return { scrollWidth: se.scrollWidth, width, wide };
  });
}

// What has keyboard focus: tag, role, accessible-ish name, and whether a focus indicator shows.
export async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body', name: '', visible: false };
    const label = (() => {
      if (el.getAttribute('aria-label')) return el.getAttribute('aria-label');
      if (el.labels && el.labels.length) return el.labels[0].textContent;
      return el.textContent || el.value || '';
    })();
    const cs = getComputedStyle(el);
    const indicator = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none';
    return {
      tag: el.tagName.toLowerCase(), type: el.type || '', id: el.id, name: label.replace(/\s+/g, ' ').trim(), indicator,
    };
  });
}

// Presses Tab (or Shift+Tab) until the focused element matches `want` ({ name: RegExp, tag }),
// at most `max` times. Returns what is focused. Also checks that each stop shows focus.
export async function tabTo(page, want, { max = 80, back = false, noIndicator = [] } = {}) {
  const seen = [];
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    seen.push(`${f.tag}${f.name ? ` "${f.name.slice(0, 40)}"` : ''}`);
    if (!f.indicator && f.tag !== 'body') noIndicator.push(`${f.tag} "${f.name.slice(0, 60)}"`);
    const nameOk = !want.name || want.name.test(f.name);
    const tagOk = !want.tag || want.tag === f.tag;
    if (nameOk && tagOk) return f;
  }
  throw new AssertionError(`pressed Tab ${max} times without reaching ${want.tag || 'an element'} named ${want.name}; `
    + `focus went through: ${seen.slice(-25).join(' → ')}`);
}

// Waits for what a form's submission should bring (a locator, or a function that resolves when
// it is there); when it does not come, the failure quotes what the page's alerts say.
export async function expectAfterSubmit(page, expected, what, timeout = 10000) {
  try {
    if (typeof expected === 'function') await expected(timeout);
    else await expected.first().waitFor({ timeout });
  } catch (err) {
    const said = await page.locator('[role="alert"]').allInnerTexts().catch(() => []);
    const texts = said.map((x) => x.replace(/\s+/g, ' ').trim()).filter(Boolean);
    throw new AssertionError(`${what} (waited ${timeout} ms)${texts.length ? `; the page says: ${texts.join(' | ')}` : '; no alert on the page'}`);
  }
}

// A marker in the window that a reload would wipe: proves a change came without reloading.
export async function markWindow(page) {
  await page.evaluate(() => { window.__btNoReload = true; });
}

export async function assertNotReloaded(page, what) {
  const still = await page.evaluate(() => window.__btNoReload === true);
  if (!still) throw new AssertionError(`${what}: the page was reloaded, not updated in place`);
}

