import { AGENT_ERROR_MESSAGES } from '../../src/channels/agent-protocol';
import { CONSOLE_TEXT, consoleLangOf, isTextKey, translate } from '../../src/channels/console-text';
import { renderTeamNav } from '../../src/channels/team-nav';
import type { Agent } from '../../src/store';

/** The console's two dictionaries, the language a server-rendered page picks, and the team bar by role. */

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

test('Spanish and English have the same keys, each with the same {placeholders}, none empty', () => {
  expect(Object.keys(CONSOLE_TEXT.en).sort()).toEqual(Object.keys(CONSOLE_TEXT.es).sort());
  for (const key of Object.keys(CONSOLE_TEXT.es) as Array<keyof typeof CONSOLE_TEXT.es>) {
    expect({ key, placeholders: placeholders(CONSOLE_TEXT.en[key]) }).toEqual({ key, placeholders: placeholders(CONSOLE_TEXT.es[key]) });
    expect(CONSOLE_TEXT.es[key].trim()).not.toBe('');
    expect(CONSOLE_TEXT.en[key].trim()).not.toBe('');
  }
});

test("every refusal of an agent's action reads in the console's language", () => {
  for (const code of Object.keys(AGENT_ERROR_MESSAGES)) expect({ code, text: isTextKey(`error.${code}`) }).toEqual({ code, text: true });
  expect(isTextKey('error.bad_frame')).toBe(false);
});

test('translate fills the placeholders it is given and leaves the others visible', () => {
  expect(translate('es', 'notice.ticketSent', { id: 7 })).toBe('Respuesta al ticket #7 enviada por correo.');
  expect(translate('en', 'presence.left', { wait: '3 min' })).toBe('left 3 min ago');
  expect(translate('en', 'login.hint')).toBe('No account? An admin creates one with {command}.');
});

test.each([
  [undefined, undefined, 'es'],
  [undefined, '*', 'es'],
  [undefined, 'en-GB,en;q=0.9', 'en'],
  [undefined, 'fr-FR,fr;q=0.9,en;q=0.8,es;q=0.7', 'en'],
  [undefined, 'en;q=0.4, es-MX', 'es'],
  [undefined, 'de, en;q=0', 'es'],
  ['atento_agent=abc; atento_lang=en', 'es-MX', 'en'],
  ['atento_lang=es', 'en-US', 'es'],
  ['atento_lang=fr', 'en-US', 'en'],
] as const)('cookie %p, Accept-Language %p → %s', (cookie, accept, lang) => {
  expect(consoleLangOf(cookie, accept)).toBe(lang);
});

const agent = (role: Agent['role'], name = 'Ana'): Agent => ({ id: 'a1', email: 'ana@tienda.example', name, role, createdAt: '' });
const links = (html: string) => [...html.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map((m) => `${m[2]} ${m[1]}`);

test('the team bar shows each role the sections it may open, the current one marked', () => {
  expect(links(renderTeamNav(agent('agent'), 'conversations', 'es'))).toEqual(['Conversaciones /agent']);
  expect(links(renderTeamNav(agent('editor'), 'knowledge', 'es'))).toEqual(['Conversaciones /agent', 'Conocimiento /agent/knowledge']);
  expect(links(renderTeamNav(agent('admin'), 'analytics', 'en'))).toEqual(['Conversations /agent', 'Knowledge /agent/knowledge', 'Analytics /agent/analytics', 'Privacy /agent#privacy']);
  expect(renderTeamNav(agent('admin'), 'analytics', 'es')).toMatch(/<a href="\/agent\/analytics" data-i18n="nav.analytics" aria-current="page">/);
  expect(renderTeamNav(agent('admin'), 'analytics', 'es').match(/aria-current/g)).toHaveLength(1);
});

test('the team bar escapes the agent\'s name and marks the language in use', () => {
  const html = renderTeamNav(agent('agent', '<img src=x onerror=alert(1)>'), 'conversations', 'en');
  expect(html).not.toContain('<img');
  expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  expect(html).toContain('<option value="en" selected>English</option>');
  expect(html).toContain('<button type="submit" data-i18n="nav.logout">Log out</button>');
});
