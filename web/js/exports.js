// Moderators' exports of an objective's or a thread's contributions (CSV and JSON), and the
// integrity manifest of a closed consultation, which anyone may see and check.
import { h } from './dom.js';
import * as session from './session.js';
import { downloadLink } from './downloads.js';

const UNAVAILABLE = 'Exports are not available on this server yet.';

// scope: 'objective' or 'thread'. Null unless the signed-in person moderates the objective.
export function exportTools(scope, id, objectiveId) {
  if (!session.moderates(objectiveId)) return null;
  const base = `/api/v1/${scope === 'objective' ? 'objectives' : 'threads'}/${encodeURIComponent(id)}/export`;
  const what = scope === 'objective' ? 'this objective' : 'this thread';
  const headingId = `export-heading-${scope}`;
  return h('section', { class: 'export-tools', 'aria-labelledby': headingId },
    h('h2', { class: 'export-title', id: headingId }, 'Export for moderators'),
    h('p', { class: 'hint' }, `Every visible contribution to ${what}, with its author\u2019s details (also for anonymous `
      + 'contributions: handle the file as personal data).'),
    h('p', { class: 'export-links' },
      downloadLink(`${base}?format=csv`, 'Download CSV', { unavailable: UNAVAILABLE }),
      downloadLink(`${base}?format=json`, 'Download JSON', { unavailable: UNAVAILABLE })));
}

// The manifest of a consultation that has closed: the SHA-256 of the thread's CSV export as it
// was at closing, and how to check it.
export function manifestSection(thread) {
  const c = thread.consultation;
  if (!c || c.state !== 'closed' || !thread.manifest_sha256) return null;
  const url = `${window.location.origin}/api/v1/threads/${thread.id}/export?format=csv`;
  const command = `curl -s -H 'Authorization: Bearer YOUR_API_TOKEN' '${url}' | sha256sum`;
  return h('section', { class: 'manifest', 'aria-labelledby': 'manifest-heading' },
    h('h2', { class: 'manifest-title', id: 'manifest-heading' }, 'Integrity manifest'),
    h('p', {}, 'When this consultation closed, the forum recorded a fingerprint (SHA-256) of every contribution '
      + 'received, as the thread\u2019s CSV export was at that moment. If a contribution is later hidden or changed, '
      + 'the export no longer matches this fingerprint, so nobody can quietly alter what was received.'),
    h('p', { class: 'manifest-label' }, 'SHA-256 of the export at closing:'),
    h('p', {}, h('code', { class: 'manifest-hash' }, thread.manifest_sha256)),
    h('p', {}, 'To check it, a moderator runs this command with an API token (created on their ',
      h('a', { href: '#/account' }, 'account page'), '); the output must begin with the same fingerprint:'),
    h('pre', { class: 'manifest-command' }, h('code', {}, command)));
}
