// Every page of the front end, as an anonymous reader, a participant and a moderator, at desktop
// width (1280 px) and at 320 px, in English; the main pages also in French and German. axe-core
// checks each (reported at the end of the run), and at 320 px nothing may scroll sideways.
import { assert, test } from './lib/harness.mjs';
import { MEMBERS, STAFF } from './lib/seed.mjs';
import { axe, goto, horizontalOverflow, load } from './lib/web.mjs';

function pageList(data) {
  const thread = `#/t/${data.consultation.thread.id}`;
  return [
    { who: 'anonymous', name: 'objectives', route: '#/', main: true },
    { who: 'anonymous', name: 'objective', route: '#/o/crisis-resilience', main: true },
    { who: 'anonymous', name: 'objective filtered by key action', route: '#/o/crisis-resilience?ka=all-hazard-assessment' },
    { who: 'anonymous', name: 'thread', route: thread, main: true },
    { who: 'anonymous', name: 'new thread form, signed out', route: '#/o/cyberspace/new' },
    { who: 'anonymous', name: 'login', route: '#/login', main: true },
    { who: 'anonymous', name: 'register', route: '#/register', main: true },
    { who: 'anonymous', name: 'search results', route: '#/search?q=infrastructure', main: true },
    { who: 'anonymous', name: 'stats', route: '#/stats', main: true },
    { who: 'anonymous', name: '404 page', route: '#/no/such/page', notFound: true },
    { who: 'member', name: 'thread', route: thread, main: true },
    { who: 'member', name: 'new thread form', route: '#/o/crisis-resilience/new?ka=all-hazard-assessment', main: true },
    { who: 'member', name: 'account', route: '#/account', main: true },
    { who: 'member', name: 'notifications', route: '#/notifications', main: true },
    { who: 'moderator', name: 'thread', route: thread, main: true },
    { who: 'moderator', name: 'new thread form', route: '#/o/crisis-resilience/new' },
    { who: 'moderator', name: 'mod flags', route: '#/mod/flags', main: true },
    { who: 'moderator', name: 'mod flags, resolved', route: '#/mod/flags?state=resolved' },
    { who: 'moderator', name: 'mod log', route: '#/mod/log', main: true },
  ];
}

const PEOPLE = { anonymous: null, member: MEMBERS.civil, moderator: STAFF.moderator };

async function sweep(t, { width, lang = null, mainOnly = false }) {
  const pages = pageList(t.env.data).filter((p) => !mainOnly || p.main);
  const problems = [];
  const height = width < 400 ? 700 : 800;
  // The three readers go through their pages side by side (each in its own context).
  const outcomes = await Promise.allSettled(['anonymous', 'member', 'moderator'].map(async (who) => {
    const mine = pages.filter((p) => p.who === who);
    if (!mine.length) return;
    const options = { viewport: { width, height }, label: `${who} ${width}px${lang ? ` ${lang}` : ''}` };
    if (lang) options.locale = { fr: 'fr-FR', de: 'de-DE' }[lang];
    const page = await t.page(PEOPLE[who], options);
    let first = true;
    for (const p of mine) {
      const label = `${p.name} (${who}, ${width}${lang ? `, ${lang}` : ''})`;
      try {
        const t0 = Date.now();
        if (first) await load(page, p.route);
        else await goto(page, p.route);
        first = false;
        const t1 = Date.now();
        const state = await page.evaluate(() => ({
          lang: document.documentElement.lang,
          error: !!document.querySelector('#main > .page > h1 + [role="alert"]'),
          h1: (document.querySelector('#main h1') || {}).textContent || '',
        }));
        if (lang && state.lang !== lang) problems.push(`${label}: <html lang="${state.lang}">, expected "${lang}"`);
        if (!p.notFound && state.error) problems.push(`${label}: the page shows an error ("${state.h1}")`);
        if (p.notFound && !state.error) problems.push(`${label}: an unknown address should show the "page not found" error`);
        await axe(page, label);
        if (process.env.BT_PROFILE) console.log(`      ${label}: load ${t1 - t0} ms, axe ${Date.now() - t1} ms`);
        if (width <= 400) {
          const over = await horizontalOverflow(page);
          if (over) {
            problems.push(`${label}: scrolls sideways (scrollWidth ${over.scrollWidth} > ${over.width}); widest: ${over.wide.join(', ')}`);
          }
        }
      } catch (err) {
        problems.push(`${label}: ${String(err.message || err).split('\n')[0]}`);
        first = true; // start the next page afresh
      }
    }
  }));
  outcomes.filter((o) => o.status === 'rejected').forEach((o) => problems.push(String(o.reason && o.reason.message ? o.reason.message : o.reason).split('\n')[0]));
  assert(!problems.length, `${problems.length} page problem(s):\n      ${problems.join('\n      ')}`);
}

test('pages at 1280 px (English): axe on every page', (t) => sweep(t, { width: 1280 }), { timeout: 90000 });
test('pages at 320 px (English): axe, no horizontal scroll', (t) => sweep(t, { width: 320 }), { timeout: 90000 });
for (const [lang, name] of [['fr', 'French'], ['de', 'German']]) {
  test(`main pages in ${name} at 1280 px`, (t) => sweep(t, { width: 1280, lang, mainOnly: true }), { timeout: 90000 });
  test(`main pages in ${name} at 320 px: axe, no horizontal scroll`, (t) => sweep(t, { width: 320, lang, mainOnly: true }), { timeout: 90000 });
}
