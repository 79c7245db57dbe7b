// ISO 3166-1 alpha-2 codes. Names come from the browser's Intl data in the reader's language, so
// the list stays short and every country is spelled the way the reader's language spells it.
import { intlLocale, t } from './i18n.js';

export const EU_STATES = [
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE',
  'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
];

const ALL = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS ' +
  'BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE ' +
  'EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM ' +
  'HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC ' +
  'LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA ' +
  'NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
  'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO ' +
  'TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

// Greece is "EL" in EU usage but "GR" in ISO 3166-1; the API speaks ISO. Intl knows both GR and
// XK (Kosovo); without Intl the code itself is shown.
let regionNames = null;
try {
  regionNames = new Intl.DisplayNames([intlLocale()], { type: 'region' });
} catch {
  regionNames = null;
}

const names = new Map();

export function countryName(code) {
  if (!code) return '';
  if (names.has(code)) return names.get(code);
  let name = code;
  try {
    name = (regionNames && regionNames.of(code)) || code;
  } catch {
    name = code;
  }
  names.set(code, name);
  return name;
}

const byName = (a, b) => countryName(a).localeCompare(countryName(b), intlLocale());

// Grouped for a <select>: the 27 Member States first, then everyone else, each alphabetical.
export function countryGroups() {
  const eu = new Set(EU_STATES);
  return [
    { group: t('countries.euGroup'), options: [...EU_STATES].sort(byName) },
    { group: t('countries.otherGroup'), options: ALL.filter((c) => !eu.has(c)).sort(byName) },
  ].map(({ group, options }) => ({
    group,
    options: options.map((code) => ({ value: code, label: countryName(code) })),
  }));
}
