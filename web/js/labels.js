// Human wording for the API's enumerations, in one place, in the reader's language.
import { intlLocale, t } from './i18n.js';

export const STAKEHOLDER_TYPES = [
  { value: 'commission', label: t('labels.stakeholder.commission') },
  { value: 'member_state', label: t('labels.stakeholder.member_state') },
  { value: 'european_parliament', label: t('labels.stakeholder.european_parliament') },
  { value: 'eu_agency', label: t('labels.stakeholder.eu_agency') },
  { value: 'civil_society', label: t('labels.stakeholder.civil_society') },
  { value: 'academia', label: t('labels.stakeholder.academia') },
  { value: 'private_sector', label: t('labels.stakeholder.private_sector') },
  { value: 'citizen', label: t('labels.stakeholder.citizen') },
];

// The label of value in a list of { value, label }, or fallback.
function labelIn(list, value, fallback) {
  const found = list.find((x) => x.value === value);
  return found ? found.label : fallback;
}

export function stakeholderLabel(type) {
  return labelIn(STAKEHOLDER_TYPES, type, '');
}

// Roles of accounts (GET /me, the user object's `role`).
export const ROLES = [
  { value: 'admin', label: t('labels.role.admin') },
  { value: 'moderator', label: t('labels.role.moderator') },
  { value: 'member', label: t('labels.role.member') },
];

export function roleLabel(role) {
  return labelIn(ROLES, role, role || '');
}

// The 24 official languages of the EU, by BCP-47 tag. Each is named in the reader's language and,
// for recognition, in its own (an endonym is the same whatever the reader's language).
const OWN_NAMES = {
  bg: 'български', cs: 'čeština', da: 'dansk', de: 'Deutsch', el: 'ελληνικά', en: 'English',
  es: 'español', et: 'eesti', fi: 'suomi', fr: 'français', ga: 'Gaeilge', hr: 'hrvatski',
  hu: 'magyar', it: 'italiano', lt: 'lietuvių', lv: 'latviešu', mt: 'Malti', nl: 'Nederlands',
  pl: 'polski', pt: 'português', ro: 'română', sk: 'slovenčina', sl: 'slovenščina', sv: 'svenska',
};

let languageNames = null;
try {
  languageNames = new Intl.DisplayNames([intlLocale()], { type: 'language' });
} catch {
  languageNames = null;
}

const capitalise = (s) => (s ? s.charAt(0).toLocaleUpperCase(intlLocale()) + s.slice(1) : s);

// A language's name in the reader's language ("Allemand" in French), or its own name.
function localName(code) {
  try {
    const name = languageNames && languageNames.of(code);
    if (name && name !== code) return capitalise(name);
  } catch {
    // An unknown tag: fall through to the language's own name.
  }
  return OWN_NAMES[code] || code;
}

// { value, label: "Bulgarian (български)", name: "Bulgarian", own: "български" }, sorted by the
// reader's name for each; a language named the same in both ways is named once.
export const LANGUAGES = Object.keys(OWN_NAMES).map((value) => {
  const name = localName(value);
  const own = OWN_NAMES[value];
  const label = name.toLocaleLowerCase(intlLocale()) === own.toLocaleLowerCase(intlLocale()) ? name : t('labels.languageBoth', { name, own });
  return { value, label, name, own };
}).sort((a, b) => a.name.localeCompare(b.name, intlLocale()));

export function languageName(tag) {
  if (!tag) return '';
  const primary = tag.toLowerCase().split('-')[0];
  const found = LANGUAGES.find((l) => l.value === primary);
  return found ? found.name : tag;
}

// Why a participant flags a contribution (POST /posts/{id}/flags `reason`); `short` names the
// reason once chosen (in the queue and the log).
export const FLAG_REASONS = [
  { value: 'spam', label: t('labels.flag.spam'), short: t('labels.flag.spam') },
  { value: 'off_topic', label: t('labels.flag.off_topic'), short: t('labels.flag.off_topic') },
  { value: 'abusive', label: t('labels.flag.abusive'), short: t('labels.flag.abusive') },
  { value: 'illegal', label: t('labels.flag.illegal'), short: t('labels.flag.illegal') },
  { value: 'personal_data', label: t('labels.flag.personal_data'), short: t('labels.flag.personal_data') },
  { value: 'other', label: t('labels.flag.other'), short: t('labels.flag.otherShort') },
];

export function flagReasonLabel(reason) {
  const found = FLAG_REASONS.find((r) => r.value === reason);
  return found ? found.short : reason || '';
}

const LOG_ACTIONS = {
  consultation_open: t('labels.log.consultation_open'),
  consultation_change: t('labels.log.consultation_change'),
  consultation_end: t('labels.log.consultation_end'),
  official_answer: t('labels.log.official_answer'),
  flag: t('labels.log.flag'),
  auto_hide: t('labels.log.auto_hide'),
  flag_dismiss: t('labels.log.flag_dismiss'),
  flag_hide: t('labels.log.flag_hide'),
  hide: t('labels.log.hide'),
  unhide: t('labels.log.unhide'),
  lock: t('labels.log.lock'),
  unlock: t('labels.log.unlock'),
  pin: t('labels.log.pin'),
  unpin: t('labels.log.unpin'),
  move: t('labels.log.move'),
  retitle: t('labels.log.retitle'),
  edit: t('labels.log.edit'),
  delete: t('labels.log.delete'),
  suspend: t('labels.log.suspend'),
  unsuspend: t('labels.log.unsuspend'),
  role: t('labels.log.role'),
};

export function logActionLabel(action) {
  return Object.hasOwn(LOG_ACTIONS, action) ? LOG_ACTIONS[action] : String(action || '').replace(/_/g, ' ');
}

