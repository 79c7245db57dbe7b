// Live updates: one EventSource per page on GET /api/v1/events, closed when the page's signal
// aborts. The browser reconnects by itself after a dropped connection and sends Last-Event-ID, so
// the server replays what was missed (or starts with `reset` when it cannot). A refused connection
// (the stream limit, a server without the route) is not retried by the browser: we try again
// later, waiting longer each time.

const BASE = '/api/v1/events';
const RETRY_FIRST = 15 * 1000;
const RETRY_MAX = 5 * 60 * 1000;

// query: { thread: id } or { objective: id }. handlers: { post, thread, post_changed, reset },
// each given the parsed data of its event (reset: nothing). Returns a function that closes it.
export function subscribe(query, handlers, signal) {
  const params = new URLSearchParams();
  Object.entries(query).forEach(([k, v]) => params.set(k, String(v)));
  const address = `${BASE}?${params}`;
  let source = null;
  let retryTimer = null;
  let wait = RETRY_FIRST;
  let closed = false;

  const dispatch = (name, ev) => {
    const fn = handlers[name];
    if (!fn || closed) return;
    let data = null;
    if (ev.data) {
      try {
        data = JSON.parse(ev.data);
      } catch {
        return; // Not ours to guess at: a malformed event is skipped.
      }
    }
    fn(data, ev);
  };

  function open() {
    if (closed) return;
    source = new EventSource(address);
    ['post', 'thread', 'post_changed', 'reset'].forEach((name) => {
      source.addEventListener(name, (ev) => dispatch(name, ev));
    });
    source.addEventListener('open', () => { wait = RETRY_FIRST; });
    source.addEventListener('error', () => {
      // CONNECTING: the browser is already reconnecting. CLOSED: it gave up; we try again later.
      if (closed || !source || source.readyState !== EventSource.CLOSED) return;
      source = null;
      retryTimer = window.setTimeout(() => {
        retryTimer = null;
        open();
      }, wait);
      wait = Math.min(wait * 2, RETRY_MAX);
    });
  }

  function close() {
    closed = true;
    if (retryTimer !== null) window.clearTimeout(retryTimer);
    retryTimer = null;
    if (source) source.close();
    source = null;
  }

  if (typeof window.EventSource !== 'function') return close;
  if (signal) {
    if (signal.aborted) return close;
    signal.addEventListener('abort', close, { once: true });
  }
  open();
  return close;
}
