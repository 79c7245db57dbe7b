// Moderators' exports of an objective's or a thread's contributions (CSV and JSON), and the
// integrity manifest of a closed consultation, which anyone may see and check.
import { h, withNodes } from './dom.js';
import * as session from './session.js';
import { downloadLink } from './downloads.js';
import { t } from './i18n.js';

const UNAVAILABLE = t('exports.unavailable');

// scope: 'objective' or 'thread'. Null unless the signed-in person moderates the objective.
export function exportTools(scope, id, objectiveId) {
  if (!session.moderates(objectiveId)) return null;
  const base = `/api/v1/${scope === 'objective' ? 'objectives' : 'threads'}/${encodeURIComponent(id)}/export`;
  const headingId = `export-heading-${scope}`;
  return h('section', { class: 'export-tools', 'aria-labelledby': headingId },
    h('h2', { class: 'export-title', id: headingId }, t('exports.title')),
    h('p', { class: 'hint' }, scope === 'objective' ? t('exports.hintObjective') : t('exports.hintThread')),
    h('p', { class: 'export-links' },
      downloadLink(`${base}?format=csv`, t('exports.csv'), { unavailable: UNAVAILABLE }),
      downloadLink(`${base}?format=json`, t('exports.json'), { unavailable: UNAVAILABLE })));
}

// The manifest of a consultation that has closed: the SHA-256 of the thread's CSV export as it
// was at closing, and how to check it.
export function manifestSection(thread) {
  const c = thread.consultation;
  if (!c || c.state !== 'closed' || !thread.manifest_sha256) return null;
  const url = `${window.location.origin}/api/v1/threads/${thread.id}/export?format=csv`;
  const command = `curl -s -H 'Authorization: Bearer ${t('exports.tokenPlaceholder')}' '${url}' | sha256sum`;
  return h('section', { class: 'manifest', 'aria-labelledby': 'manifest-heading' },
    h('h2', { class: 'manifest-title', id: 'manifest-heading' }, t('exports.manifest.title')),
    h('p', {}, t('exports.manifest.intro')),
    h('p', { class: 'manifest-label' }, t('exports.manifest.label')),
    h('p', {}, h('code', { class: 'manifest-hash' }, thread.manifest_sha256)),
    h('p', {}, withNodes(t('exports.manifest.howto'), {
      link: h('a', { href: '#/account' }, t('exports.manifest.accountLink')),
    })),
    h('pre', { class: 'manifest-command' }, h('code', {}, command)));
}
