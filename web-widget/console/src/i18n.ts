import { isConsoleLang, isTextKey, LANG_COOKIE, translate, type ConsoleLang, type TextKey } from '../../../src/channels/console-text';

/**
 * The console's language in the browser: Spanish unless the agent picked English. The choice is kept
 * in localStorage and mirrored in a cookie so the pages the server renders (login, the team bar) follow it.
 */

const STORAGE_KEY = 'atento.console.lang';
let current: ConsoleLang = 'es';

export function t(key: TextKey, vars?: Record<string, string | number>): string {
  return translate(current, key, vars);
}

/** A refusal from the server in the console's language; a code the console has no text for keeps the server's (English) words. */
export function errorText(frame: { code: string; message: string }): string {
  const key = `error.${frame.code}`;
  return isTextKey(key) ? t(key, { detail: frame.message }) : frame.message;
}

export function consoleLang(): ConsoleLang {
  return current;
}

/** On load: the saved choice, else the language the server rendered the page in. */
export function startLanguage(): ConsoleLang {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage blocked (private mode, policies): the server's choice stands.
  }
  current = isConsoleLang(saved) ? saved : isConsoleLang(document.documentElement.lang) ? document.documentElement.lang : 'es';
  applyToPage();
  return current;
}

export function chooseLanguage(lang: ConsoleLang): void {
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered in this browser; the cookie below still is.
  }
  document.cookie = `${LANG_COOKIE}=${lang}; Path=/agent; Max-Age=31536000; SameSite=Strict`;
  applyToPage();
}

/** The server-rendered texts (`data-i18n`, `data-i18n-label`) in the current language. */
function applyToPage(): void {
  document.documentElement.lang = current;
  for (const element of document.querySelectorAll<HTMLElement>('[data-i18n]')) element.textContent = t(element.dataset.i18n as TextKey);
  for (const element of document.querySelectorAll<HTMLElement>('[data-i18n-label]')) element.setAttribute('aria-label', t(element.dataset.i18nLabel as TextKey));
}
