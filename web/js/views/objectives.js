// Overview: the five strategic objectives of the Internal Security Strategy.
import { append, h, withNodes } from '../dom.js';
import * as data from '../data.js';
import { t } from '../i18n.js';
import { contributionCount, threadCount, timeEl } from '../format.js';
import { pageHeading, setTitle } from '../ui.js';

const TEXT = {
  title: t('objectives.title'),
  heading: t('objectives.heading'),
  lead: t('objectives.lead'),
  keyActions: t('objectives.keyActions'),
  lastActivity: t('objectives.lastActivity'),
  noContributions: t('objectives.noContributions'),
};

function objectiveCard(o) {
  const href = data.objectiveHref(o);
  const headingId = `objective-${o.id}-title`;
  const keyActionsId = `objective-${o.id}-key-actions`;
  return h('li', { class: 'card objective-card' },
    h('article', { 'aria-labelledby': headingId },
      h('p', { class: 'kicker' }, t('objectives.kicker', { number: o.number })),
      h('h2', { class: 'card-title', id: headingId }, h('a', { href, lang: data.SEEDED_LANG }, o.title)),
      h('p', { class: 'summary', lang: data.SEEDED_LANG }, o.summary),
      o.key_actions.length ? [
        h('h3', { class: 'subheading', id: keyActionsId }, TEXT.keyActions),
        h('ul', { class: 'key-action-list', 'aria-labelledby': keyActionsId }, o.key_actions.map((ka) => h('li', {},
          h('a', { href: data.keyActionHref(o, ka), lang: data.SEEDED_LANG }, ka.title)))),
      ] : null,
      h('p', { class: 'stats' },
        h('span', {}, threadCount(o.thread_count)),
        h('span', {}, contributionCount(o.post_count)),
        h('span', {}, o.last_post_at
          ? withNodes(TEXT.lastActivity, { time: timeEl(o.last_post_at) })
          : TEXT.noContributions))));
}

export async function render(root) {
  const objectives = await data.objectives({ fresh: true });
  setTitle(TEXT.title);
  append(root,
    pageHeading(TEXT.heading),
    h('p', { class: 'lead' }, TEXT.lead),
    h('ol', { class: 'card-grid' }, objectives.map(objectiveCard)));
}
