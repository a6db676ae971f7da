import { isConsoleLang } from '../../../src/channels/console-text';
import { chooseLanguage, consoleLang, startLanguage } from './i18n';

/**
 * The team bar's behaviour (its HTML comes from src/channels/team-nav.ts): the language switch.
 * Every team page calls this once; `onLanguage` re-renders the page's own texts after a switch.
 */
export function wireTeamNav(onLanguage: () => void): void {
  startLanguage();
  const picker = document.querySelector<HTMLSelectElement>('select[data-lang-switch]');
  if (!picker) return;
  picker.value = consoleLang();
  picker.addEventListener('change', () => {
    if (!isConsoleLang(picker.value)) return;
    chooseLanguage(picker.value);
    onLanguage();
  });
}

/** The element of the team bar where a page shows its live status (connection, notices). */
export function teamStatus(): HTMLElement {
  return document.getElementById('team-status') ?? document.body.appendChild(document.createElement('div'));
}
