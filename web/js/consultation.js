// The consultation banner of a thread: its state, the deadline in Brussels time, and a live
// countdown. Timers stop when the router aborts the page's signal, so leaving the page (or
// redrawing it) leaves nothing ticking.
import { h } from './dom.js';
import { brusselsTimeEl, durationText } from './format.js';

// A countdown to `iso`, redrawn every second. onDone runs once when the moment passes, but only
// if it was still ahead when the countdown started: a page redrawn because of it cannot loop.
export function countdown(iso, { label, signal, onDone }) {
  const target = Date.parse(iso);
  const value = h('strong', { class: 'countdown-value' });
  // role=timer is not announced on every change (its aria-live is off), which is what we want.
  const el = h('p', { class: 'countdown', role: 'timer' }, `${label} `, value);
  const ahead = target > Date.now();
  let timer = null;
  const stop = () => {
    if (timer !== null) window.clearInterval(timer);
    timer = null;
  };
  const tick = () => {
    const left = target - Date.now();
    if (left > 0) {
      value.textContent = durationText(left);
      return;
    }
    value.textContent = 'any moment now';
    if (timer !== null) {
      stop();
      if (onDone) onDone();
    }
  };
  tick();
  if (ahead && !(signal && signal.aborted)) {
    timer = window.setInterval(tick, 1000);
    if (signal) signal.addEventListener('abort', stop, { once: true });
  }
  return el;
}

const HEADINGS = {
  open: 'Open consultation',
  planned: 'Consultation not open yet',
  closed: 'Consultation closed',
};

// onChange: called when the consultation opens or closes while the page is shown.
export function consultationBanner(c, { signal, onChange } = {}) {
  const state = HEADINGS[c.state] ? c.state : 'closed';
  const body = [];
  if (state === 'open') {
    body.push(h('p', {}, 'Contributions are welcome until ', brusselsTimeEl(c.closes_at), '.'));
    body.push(countdown(c.closes_at, { label: 'Time left:', signal, onDone: onChange }));
  } else if (state === 'planned') {
    body.push(h('p', {}, 'This consultation ',
      c.opens_at ? ['opens on ', brusselsTimeEl(c.opens_at), ' and '] : null,
      'closes on ', brusselsTimeEl(c.closes_at), '.'));
    if (c.opens_at) body.push(countdown(c.opens_at, { label: 'Opens in', signal, onDone: onChange }));
  } else {
    body.push(h('p', { class: 'consultation-closed' },
      'This consultation closed on ', brusselsTimeEl(c.closes_at),
      '. No further contributions can be added; the contributions remain available to read.'));
  }
  return h('section', { class: ['consultation', `consultation--${state}`], 'aria-labelledby': 'consultation-heading' },
    h('h2', { class: 'consultation-title', id: 'consultation-heading' }, HEADINGS[state]),
    ...body);
}

// The state as of now on this device. The server computes `state` when it answers; a page left
// open past a deadline (or a server a second behind) must not keep offering a form that would be
// refused, so a deadline that has passed here wins.
export function currentConsultation(c, now = Date.now()) {
  if (!c) return c;
  if (c.state === 'open' && Date.parse(c.closes_at) <= now) return { ...c, state: 'closed' };
  if (c.state === 'planned' && Date.parse(c.closes_at) <= now) return { ...c, state: 'closed' };
  if (c.state === 'planned' && c.opens_at && Date.parse(c.opens_at) <= now) return { ...c, state: 'open' };
  return c;
}
