// Links to files the API makes (CSV and JSON exports, one's own data). They are plain links, so
// the browser downloads them with the session cookie and streams them to disk. Before following
// one, a quick request asks whether the server will give the file; if not, the reason is shown
// beside the link instead of leaving the person on a page of raw JSON.
import { h } from './dom.js';
import { t } from './i18n.js';
import { toError } from './api.js';

async function problem(href, unavailable) {
  const controller = new AbortController();
  let res;
  try {
    res = await fetch(href, { credentials: 'same-origin', headers: { Accept: '*/*' }, signal: controller.signal });
  } catch {
    return t('downloads.network');
  }
  if (res.ok) {
    // Only the answer's status was wanted: stop the body, the browser fetches the file itself.
    controller.abort();
    return null;
  }
  if (res.status === 404) return unavailable;
  if (res.status === 401) return t('downloads.signedOut');
  const err = await toError(res);
  return err.message || t('downloads.failed', { status: String(res.status) });
}

// label: the link text; unavailable: what to say when the server has no such file (404).
export function downloadLink(href, label, { unavailable = t('downloads.unavailable'), className = '' } = {}) {
  const status = h('span', { class: 'download-status', role: 'alert' });
  const link = h('a', { href, class: ['download-link', className], download: '' }, label);
  let busy = false;
  link.addEventListener('click', async (ev) => {
    // New tab, new window or "save link as": leave those to the browser.
    if (ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
    ev.preventDefault();
    if (busy) return;
    busy = true;
    status.textContent = '';
    link.setAttribute('aria-busy', 'true');
    try {
      const why = await problem(href, unavailable);
      if (why) status.textContent = why;
      else window.location.assign(href);
    } finally {
      busy = false;
      link.removeAttribute('aria-busy');
    }
  });
  return h('span', { class: 'download' }, link, status);
}
