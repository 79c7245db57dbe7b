// The consultation banner of a thread: its state, the deadline in Brussels time, and a live
// countdown. Timers stop when the router aborts the page's signal, so leaving the page (or
// redrawing it) leaves nothing ticking.
import { h, withNodes } from './dom.js';
import { brusselsTimeEl, durationText } from './format.js';
import { t } from './i18n.js';

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
    value.textContent = t('consultation.anyMoment');
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
  open: t('consultation.heading.open'),
  planned: t('consultation.heading.planned'),
  closed: t('consultation.heading.closed'),
};

// onChange: called when the consultation opens or closes while the page is shown.
export function consultationBanner(c, { signal, onChange } = {}) {
  const state = HEADINGS[c.state] ? c.state : 'closed';
  const body = [];
  if (state === 'open') {
    body.push(h('p', {}, withNodes(t('consultation.openUntil'), { date: brusselsTimeEl(c.closes_at) })));
    body.push(countdown(c.closes_at, { label: t('consultation.timeLeft'), signal, onDone: onChange }));
  } else if (state === 'planned') {
    body.push(h('p', {}, c.opens_at
      ? withNodes(t('consultation.plannedOpensCloses'), { opens: brusselsTimeEl(c.opens_at), closes: brusselsTimeEl(c.closes_at) })
      : withNodes(t('consultation.plannedCloses'), { closes: brusselsTimeEl(c.closes_at) })));
    if (c.opens_at) body.push(countdown(c.opens_at, { label: t('consultation.opensIn'), signal, onDone: onChange }));
  } else {
    body.push(h('p', { class: 'consultation-closed' },
      withNodes(t('consultation.closedOn'), { date: brusselsTimeEl(c.closes_at) })));
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
