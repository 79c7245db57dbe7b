// Atom feeds of objectives, key actions and threads: a visible link on the page, and a
// <link rel="alternate"> in the document head for feed readers and browser extensions, removed
// again when the page is left.
import { h } from './dom.js';
import { t } from './i18n.js';

// The visible text is the same for every feed; the accessible name says what it is a feed of and
// begins with the visible text (WCAG 2.5.3).
const TEXT = {
  link: t('feeds.link'),
  objective: t('feeds.objective'),
  key_action: t('feeds.keyAction'),
  thread: t('feeds.thread'),
};

const PATHS = { objective: 'objectives', key_action: 'key-actions', thread: 'threads' };

export function feedUrl(kind, id) {
  return `/feeds/${PATHS[kind]}/${encodeURIComponent(id)}.atom`;
}

// The visible link: icon and "Atom feed", named "Atom feed of this objective" (say) for screen readers.
export function feedLink(kind, id) {
  return h('a', {
    href: feedUrl(kind, id), class: 'feed-link', type: 'application/atom+xml', 'aria-label': TEXT[kind] || TEXT.link,
  },
  h('img', { src: '/img/feed.svg', alt: '', width: '16', height: '16', class: 'feed-icon' }),
  TEXT.link);
}

// The title of a feed named for a page's <link rel="alternate">: "Atom feed: <title>".
export function feedTitle(title) {
  return t('feeds.title', { title });
}

// <link rel="alternate" type="application/atom+xml" title=… href=…> for the page, until signal aborts.
export function advertise(kind, id, title, signal) {
  const link = h('link', { rel: 'alternate', type: 'application/atom+xml', title, href: feedUrl(kind, id) });
  document.head.append(link);
  if (signal) {
    if (signal.aborted) link.remove();
    else signal.addEventListener('abort', () => link.remove(), { once: true });
  }
  return link;
}
