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

export function stakeholderLabel(type) {
  const found = STAKEHOLDER_TYPES.find((t) => t.value === type);
  return found ? found.label : '';
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
