/**
 * i18next set-up. The language is the one the operator last chose on this PC (localStorage), else
 * the browser's: any Chinese locale gets zh-CN, everything else English.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { zhCN } from './zh-CN';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language names itself, so an operator who cannot read the current one still finds theirs. */
export const LANGUAGE_NAMES: Record<Language, string> = { 'zh-CN': '中文', en: 'English' };

const STORAGE_KEY = 'packwitness.language';

export function languageFor(stored: string | null, browser: string | undefined): Language {
  if (stored && (LANGUAGES as readonly string[]).includes(stored)) return stored as Language;
  return browser?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** The other language, for alarms that are shown in both. */
export function otherLanguage(lng: Language): Language {
  return lng === 'en' ? 'zh-CN' : 'en';
}

export function currentLanguage(): Language {
  return languageFor(i18n.language, undefined);
}

// localStorage throws when storage is disabled; the switch then lasts until the page reloads.
function readStored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** True when this browser chose a language itself (the station's saved language is then not applied). */
export function hasChosenLanguage(): boolean {
  return readStored() !== null;
}

/** The station's default language, for a browser that never chose: shown, not remembered as this browser's choice. */
export function applyDefaultLanguage(lng: Language): void {
  if (!hasChosenLanguage() && i18n.language !== lng) void i18n.changeLanguage(lng);
}

export function setLanguage(lng: Language): void {
  void i18n.changeLanguage(lng);
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // see readStored
  }
}

i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
});

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: languageFor(readStored(), navigator.language),
  fallbackLng: 'en',
  // Resources are bundled: initialise synchronously so the first render already has its texts.
  initAsync: false,
  // React escapes what it renders.
  interpolation: { escapeValue: false },
});

export default i18n;
