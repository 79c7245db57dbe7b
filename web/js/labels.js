// Human wording for the API's enumerations, in one place.

export const STAKEHOLDER_TYPES = [
  { value: 'commission', label: 'European Commission' },
  { value: 'member_state', label: 'Member State' },
  { value: 'european_parliament', label: 'European Parliament' },
  { value: 'eu_agency', label: 'EU agency' },
  { value: 'civil_society', label: 'Civil society' },
  { value: 'academia', label: 'Academia' },
  { value: 'private_sector', label: 'Private sector' },
  { value: 'citizen', label: 'Citizen' },
];

// The label of value in a list of { value, label }, or fallback.
function labelIn(list, value, fallback) {
  const found = list.find((x) => x.value === value);
  return found ? found.label : fallback;
}

export function stakeholderLabel(type) {
  return labelIn(STAKEHOLDER_TYPES, type, '');
}

// The 24 official languages of the EU, by BCP-47 tag, with their own names for recognition.
export const LANGUAGES = [
  ['bg', 'Bulgarian', 'български'], ['cs', 'Czech', 'čeština'], ['da', 'Danish', 'dansk'],
  ['de', 'German', 'Deutsch'], ['el', 'Greek', 'ελληνικά'], ['en', 'English', 'English'],
  ['es', 'Spanish', 'español'], ['et', 'Estonian', 'eesti'], ['fi', 'Finnish', 'suomi'],
  ['fr', 'French', 'français'], ['ga', 'Irish', 'Gaeilge'], ['hr', 'Croatian', 'hrvatski'],
  ['hu', 'Hungarian', 'magyar'], ['it', 'Italian', 'italiano'], ['lt', 'Lithuanian', 'lietuvių'],
  ['lv', 'Latvian', 'latviešu'], ['mt', 'Maltese', 'Malti'], ['nl', 'Dutch', 'Nederlands'],
  ['pl', 'Polish', 'polski'], ['pt', 'Portuguese', 'português'], ['ro', 'Romanian', 'română'],
  ['sk', 'Slovak', 'slovenčina'], ['sl', 'Slovenian', 'slovenščina'], ['sv', 'Swedish', 'svenska'],
].map(([value, name, own]) => ({ value, label: name === own ? name : `${name} (${own})`, name }));

export function languageName(tag) {
  if (!tag) return '';
  const primary = tag.toLowerCase().split('-')[0];
  const found = LANGUAGES.find((l) => l.value === primary);
  return found ? found.name : tag;
}

// Why a participant flags a contribution (POST /posts/{id}/flags `reason`).
export const FLAG_REASONS = [
  { value: 'spam', label: 'Spam or advertising' },
  { value: 'off_topic', label: 'Off topic' },
  { value: 'abusive', label: 'Abusive or hateful' },
  { value: 'illegal', label: 'Illegal content' },
  { value: 'personal_data', label: 'Discloses personal data' },
  { value: 'other', label: 'Something else (please explain)' },
];

export function flagReasonLabel(reason) {
  return labelIn(FLAG_REASONS, reason, reason || '').replace(/ \(please explain\)$/, '');
}

const LOG_ACTIONS = {
  consultation_open: 'Opened a consultation',
  consultation_change: 'Changed a consultation',
  consultation_end: 'Ended a consultation',
  official_answer: 'Published an official answer',
  flag: 'Flagged a contribution',
  auto_hide: 'Hid a contribution automatically (three flags)',
  flag_dismiss: 'Dismissed flags',
  flag_hide: 'Hid a flagged contribution',
  hide: 'Hid a contribution',
  unhide: 'Made a contribution visible again',
  lock: 'Locked a thread',
  unlock: 'Unlocked a thread',
  pin: 'Pinned a thread',
  unpin: 'Unpinned a thread',
  move: 'Moved a thread',
  retitle: 'Renamed a thread',
  edit: 'Edited a contribution (as moderator)',
  delete: 'Withdrew own contribution',
  suspend: 'Suspended a participant',
  unsuspend: 'Lifted a suspension',
  role: 'Changed a role',
};

export function logActionLabel(action) {
  return LOG_ACTIONS[action] || String(action || '').replace(/_/g, ' ');
}
