// Interface text comes from the message catalogues in /i18n/<lang>.json, never from the code.
// The catalogue is loaded with a top-level await, so every module that imports this one can call
// t() while it is itself being evaluated (for its TEXT tables, say). A language change reloads
// the page: every view, date format and the static header then come out in the new language.
//
// Catalogue values are strings with {name} placeholders, or plural objects chosen by
// Intl.PluralRules on params.count: { "one": "{count} reply", "other": "{count} replies" }.
// Numbers in params are formatted for the language (1 234 in French, 1.234 in German).

export const LANGUAGES = [
  { code: 'en', name: 'English', intl: 'en-GB' },
  { code: 'fr', name: 'Français', intl: 'fr-FR' },
  { code: 'de', name: 'Deutsch', intl: 'de-DE' },
];
const STORAGE_KEY = 'forumd.lang';
const FALLBACK = 'en';

function supported(code) {
  return LANGUAGES.some((l) => l.code === code);
}

function storedChoice() {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage can be switched off; the browser's languages still apply
  }
}

// The reader's own choice first, then the browser's languages in order ("fr-BE" matches "fr").
function chooseLanguage() {
  const stored = storedChoice();
  if (stored && supported(stored)) return stored;
  for (const tag of navigator.languages || [navigator.language || '']) {
    const primary = String(tag).toLowerCase().split('-')[0];
    if (supported(primary)) return primary;
  }
  return FALLBACK;
}

async function fetchCatalogue(code) {
  const res = await fetch(`/i18n/${code}.json`, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`catalogue ${code}: HTTP ${res.status}`);
  return res.json();
}

let current = chooseLanguage();
let messages = {};
let fallback = {};
try {
  [messages, fallback] = await Promise.all([
    fetchCatalogue(current), current === FALLBACK ? null : fetchCatalogue(FALLBACK),
  ]);
  fallback = fallback || messages;
} catch (err) {
  // A missing catalogue must not leave a blank page: fall back to English, then to the keys.
  console.error(err);
  current = FALLBACK;
  messages = await fetchCatalogue(FALLBACK).catch(() => ({}));
  fallback = messages;
}
document.documentElement.lang = current;

const info = LANGUAGES.find((l) => l.code === current);
const plurals = new Intl.PluralRules(info.intl);
const numbers = new Intl.NumberFormat(info.intl);

export function language() {
  return current;
}

// The locale for Intl formatters (dates, numbers, collation).
export function intlLocale() {
  return info.intl;
}

function lookup(key) {
  if (Object.hasOwn(messages, key)) return messages[key];
  if (Object.hasOwn(fallback, key)) {
    console.warn(`i18n: "${key}" is missing from ${current}.json`);
    return fallback[key];
  }
  console.warn(`i18n: unknown key "${key}"`);
  return key;
}

// t('thread.replies', { count: 3 }) → "3 replies"
export function t(key, params = {}) {
  let text = lookup(key);
  if (text && typeof text === 'object') {
    const n = Number(params.count) || 0;
    text = text[plurals.select(n)] ?? text.other ?? '';
  }
  return String(text).replace(/\{(\w+)\}/g, (whole, name) => {
    if (!Object.hasOwn(params, name)) return whole;
    const v = params[name];
    return typeof v === 'number' ? numbers.format(v) : String(v);
  });
}

export function formatNumber(n) {
  return numbers.format(Number(n) || 0);
}

// Static markup (index.html) names its text with data-i18n="key" (element text) and
// data-i18n-attr="attribute:key;attribute:key" (attributes such as aria-label or content).
export function translateStatic(root = document) {
  root.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll('[data-i18n-attr]').forEach((el) => {
    el.dataset.i18nAttr.split(';').forEach((pair) => {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      if (attr && key) el.setAttribute(attr, t(key));
    });
  });
}

// Remembers the choice and reloads: the whole page then speaks the new language.
export function setLanguage(code) {
  if (!supported(code) || code === current) return;
  try {
    window.localStorage.setItem(STORAGE_KEY, code);
  } catch {
    // Without storage the choice cannot outlive the page; the browser's language applies again.
  }
  window.location.reload();
}

// One button per language, each named in its own language and marked with its own lang. Buttons
// rather than a <select>: a select that reloads on change would fire while a keyboard user is
// still arrowing through the options (WCAG 3.2.2).
export function languageSwitcher() {
  const nav = document.createElement('nav');
  nav.className = 'language-switch';
  nav.setAttribute('aria-label', t('common.language'));
  const list = document.createElement('ul');
  for (const l of LANGUAGES) {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.lang = l.code;
    button.textContent = l.name;
    if (l.code === current) button.setAttribute('aria-current', 'true');
    button.addEventListener('click', () => setLanguage(l.code));
    item.append(button);
    list.append(item);
  }
  nav.append(list);
  return nav;
}
