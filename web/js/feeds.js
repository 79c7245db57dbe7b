// Atom feeds of objectives, key actions and threads: a visible link on the page, and a
// <link rel="alternate"> in the document head for feed readers and browser extensions, removed
// again when the page is left.
import { h } from './dom.js';

const TEXT = {
  link: 'Atom feed',
  objective: 'of this objective',
  key_action: 'of this key action',
  thread: 'of this thread',
};

const PATHS = { objective: 'objectives', key_action: 'key-actions', thread: 'threads' };

export function feedUrl(kind, id) {
  return `/feeds/${PATHS[kind]}/${encodeURIComponent(id)}.atom`;
}

// The visible link: icon and "Atom feed", with what it is a feed of for screen readers.
export function feedLink(kind, id) {
  return h('a', { href: feedUrl(kind, id), class: 'feed-link', type: 'application/atom+xml' },
    h('img', { src: '/img/feed.svg', alt: '', width: '16', height: '16', class: 'feed-icon' }),
    TEXT.link,
    h('span', { class: 'visually-hidden' }, ` ${TEXT[kind]}`));
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
