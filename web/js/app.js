// Entry point: learns who is signed in, keeps the header in step, and routes #/ addresses to
// views. Hash routing means the server needs no fallback routes for the front end.
import { h, replace, withNodes } from './dom.js';
import { languageSwitcher, t, translateStatic } from './i18n.js';
import * as session from './session.js';
import * as notify from './notify.js';
import * as searchBox from './search-box.js';
import { takeFlash } from './flash.js';
import { announce, errorPage, loading, notice, suspensionBanner } from './ui.js';
import * as objectivesView from './views/objectives.js';
import * as objectiveView from './views/objective.js';
import * as threadView from './views/thread.js';
import * as composeView from './views/compose.js';
import * as loginView from './views/login.js';
import * as registerView from './views/register.js';
import * as modFlagsView from './views/mod-flags.js';
import * as modLogView from './views/mod-log.js';
import * as notificationsView from './views/notifications.js';
import * as searchView from './views/search.js';
import * as statsView from './views/stats.js';
import * as accountView from './views/account.js';

const routes = [
  { pattern: /^\/$/, view: objectivesView, nav: 'home' },
  { pattern: /^\/o\/([^/]+)$/, view: objectiveView, keys: ['slug'], nav: 'home' },
  { pattern: /^\/o\/([^/]+)\/new$/, view: composeView, keys: ['slug'], nav: 'home' },
  { pattern: /^\/t\/([1-9]\d*)$/, view: threadView, keys: ['id'], nav: 'home' },
  { pattern: /^\/login$/, view: loginView, nav: 'login' },
  { pattern: /^\/register$/, view: registerView, nav: 'register' },
  { pattern: /^\/mod\/?$/, redirect: '#/mod/flags' },
  { pattern: /^\/mod\/flags$/, view: modFlagsView, nav: 'mod' },
  { pattern: /^\/mod\/log$/, view: modLogView, nav: 'mod' },
  { pattern: /^\/notifications$/, view: notificationsView, nav: 'notifications' },
  { pattern: /^\/search$/, view: searchView, nav: 'search' },
  { pattern: /^\/stats$/, view: statsView, nav: 'stats' },
  { pattern: /^\/account$/, view: accountView, nav: 'account' },
];

const notFound = {
  async render() {
    const err = new Error(t('app.notFound.message'));
    throw Object.assign(err, { status: 404 });
  },
};

const main = document.getElementById('main');
const navList = document.getElementById('site-nav');
let generation = 0;
let firstRender = true;
// Aborted when the page is left or redrawn: views hang timers and listeners on its signal.
let pageController = null;

function parseHash() {
  const raw = window.location.hash || '#/';
  const [path, qs = ''] = raw.slice(1).split('?');
  return { raw, path: path || '/', query: new URLSearchParams(qs) };
}

function match(path) {
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (m) {
      const params = {};
      (r.keys || []).forEach((k, i) => { params[k] = decodeURIComponent(m[i + 1]); });
      return { route: r, params };
    }
  }
  return { route: { view: notFound, nav: null }, params: {} };
}

function renderNav(current) {
  const user = session.currentUser();
  const link = (href, label, key) => h('li', {},
    h('a', { href, 'aria-current': key === current ? 'page' : false }, label));
  const { raw } = parseHash();
  const back = /^#\/(login|register)/.test(raw) ? '' : `?next=${encodeURIComponent(raw)}`;
  replace(navList,
    link('#/', t('app.nav.objectives'), 'home'),
    link('#/stats', t('app.nav.stats'), 'stats'),
    session.isModerator() ? link('#/mod/flags', t('app.nav.moderation'), 'mod') : null,
    ...(user
      ? [
        notify.navItem(),
        link('#/account', t('app.nav.account'), 'account'),
        h('li', { class: 'site-nav-user' }, withNodes(t('app.signedInAs'), { name: h('strong', {}, user.display_name) })),
        h('li', {}, h('button', { type: 'button', class: 'nav-button', on: { click: signOut } }, t('app.signOut'))),
      ]
      : [link(`#/login${back}`, t('app.signIn'), 'login'), link('#/register', t('app.register'), 'register')]));
}

async function signOut() {
  try {
    await session.signOut();
  } catch {
    // The session is forgotten here whatever the server said (session.signOut), so go on.
  }
  await render({ message: t('app.signedOut') });
}

// soft: redraw the current page in place (after a moderator action, say) without the loading
// placeholder or a jump to the top; focusId names the element to focus afterwards, and
// message is read out by screen readers once the page is there.
async function render({ soft = false, focusId = null, message = '' } = {}) {
  const { raw, path, query } = parseHash();
  // Hashes that are not routes (a skip link's #main, say) are in-page anchors: leave the page be.
  if (!raw.startsWith('#/')) return;
  const { route, params } = match(path);
  if (route.redirect) {
    window.location.replace(route.redirect);
    return;
  }
  const mine = ++generation;
  // A soft redraw puts focus back where it was, when that element is drawn again.
  const focusedId = soft && document.activeElement ? document.activeElement.id : '';
  if (pageController) pageController.abort();
  const controller = new AbortController();
  pageController = controller;
  renderNav(route.nav);
  searchBox.sync(path, query);
  main.setAttribute('aria-busy', 'true');
  if (!soft) main.replaceChildren(loading());

  // Views build into a detached container, so a slow answer for a page already left is dropped.
  const page = h('div', { class: 'page' });
  let result = null;
  try {
    result = await route.view.render(page, {
      params, query, signal: controller.signal, refresh: (opts) => render({ soft: true, ...opts }),
    });
  } catch (err) {
    if (mine !== generation) return;
    const title = err.status === 404 ? t('app.notFound.title') : t('app.loadFailed');
    page.replaceChildren(...errorPage(title, err));
  }
  if (mine !== generation) return;
  const suspended = session.suspension();
  if (suspended) page.prepend(suspensionBanner(suspended));
  const flash = takeFlash();
  if (flash) {
    page.prepend(notice(flash.message, flash.kind));
    message = message || flash.message;
  }
  main.replaceChildren(page);
  main.removeAttribute('aria-busy');
  const target = (focusId && document.getElementById(focusId)) || (result && result.focus)
    || (soft && focusedId && document.getElementById(focusedId)) || null;
  if (target) {
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: soft ? 'nearest' : 'start' });
  } else {
    if (!soft) window.scrollTo(0, 0);
    // On first load the browser's own focus start is right; afterwards, announce the new page.
    const heading = page.querySelector('h1');
    if (!firstRender && heading && !soft) heading.focus();
  }
  if (message) announce(message);
  firstRender = false;
}

document.querySelector('.skip-link').addEventListener('click', (ev) => {
  ev.preventDefault();
  main.focus();
  main.scrollIntoView();
});

translateStatic();
document.getElementById('language-switch').replaceChildren(languageSwitcher());
searchBox.mount(document.getElementById('site-search'));
session.onChange(() => renderNav(match(parseHash().path).route.nav));
window.addEventListener('hashchange', render);
session.load().then(render);
