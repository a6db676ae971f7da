import { roleAllows, type Agent, type AgentRole } from '../store';
import { CONSOLE_LANGS, translate, type ConsoleLang, type TextKey } from './console-text';
import { escapeHtml } from './demo-page';

export type TeamPage = 'conversations' | 'knowledge' | 'analytics';

/** Each section of the team's pages and the lowest role that may open it (docs/roles.md). */
const SECTIONS: ReadonlyArray<{ page: TeamPage | 'privacy'; href: string; label: TextKey; role: AgentRole }> = [
  { page: 'conversations', href: '/agent', label: 'nav.conversations', role: 'agent' },
  { page: 'knowledge', href: '/agent/knowledge', label: 'nav.knowledge', role: 'editor' },
  { page: 'analytics', href: '/agent/analytics', label: 'nav.analytics', role: 'admin' },
  // A panel of the console (export or erase a shopper by e-mail), opened from any page by its hash.
  { page: 'privacy', href: '/agent#privacy', label: 'nav.privacy', role: 'admin' },
];

/**
 * The bar on top of every team page: the sections this agent's role may open, the language switch,
 * who is logged in and the logout button. Hiding a link is a courtesy; the server checks every route.
 * Texts carry `data-i18n` so the console's language switch can change them without a reload
 * (web-widget/console/src/team-nav.ts). `#team-status` is where a page shows its live status.
 */
export function renderTeamNav(agent: Agent, current: TeamPage, lang: ConsoleLang): string {
  const t = (key: TextKey) => escapeHtml(translate(lang, key));
  const links = SECTIONS.filter((section) => roleAllows(agent.role, section.role)).map(
    (section) =>
      `<li><a href="${section.href}" data-i18n="${section.label}"${section.page === current ? ' aria-current="page"' : ''}>${t(section.label)}</a></li>`,
  );
  const options = CONSOLE_LANGS.map((code) => `<option value="${code}"${code === lang ? ' selected' : ''}>${code === 'es' ? 'Español' : 'English'}</option>`);
  return `<header class="team-bar">
  <span class="brand">Atento</span>
  <nav class="team-nav" aria-label="${t('nav.label')}" data-i18n-label="nav.label"><ul>${links.join('')}</ul></nav>
  <div class="team-status" id="team-status"></div>
  <div class="team-end">
    <label class="lang-switch"><span class="visually-hidden" data-i18n="nav.language">${t('nav.language')}</span><select data-lang-switch>${options.join('')}</select></label>
    <span class="me">${escapeHtml(agent.name)} · <span data-i18n="role.${agent.role}">${t(`role.${agent.role}`)}</span></span>
    <form method="post" action="/agent/logout" class="logout"><button type="submit" data-i18n="nav.logout">${t('nav.logout')}</button></form>
  </div>
</header>`;
}
