import type { Agent } from '../store';
import { translate, type ConsoleLang, type TextKey } from './console-text';
import { escapeHtml } from './demo-page';
import { renderTeamNav } from './team-nav';

/** The console's two HTML shells. Only static text of ours plus escaped values; scripts and styles are files. */

/** `returnTo`: the page of ours the agent asked for before logging in, sent back with the form. */
export function renderLoginPage(lang: ConsoleLang, { error, email = '', returnTo }: { error?: string; email?: string; returnTo?: string } = {}): string {
  const t = (key: TextKey) => escapeHtml(translate(lang, key));
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t('login.title')}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/agent/console.css">
</head>
<body class="login-page">
<main class="login-card">
  <h1>Atento</h1>
  <p class="login-lead">${t('login.lead')}</p>
  ${error ? `<p class="login-error" id="login-error" role="alert">${escapeHtml(error)}</p>` : ''}
  <form method="post" action="/agent/login">
    ${returnTo ? `<input type="hidden" name="next" value="${escapeHtml(returnTo)}">` : ''}
    <label for="email">${t('login.email')}</label>
    <input id="email" name="email" type="email" autocomplete="username" required maxlength="254" value="${escapeHtml(email)}"${email ? '' : ' autofocus'}>
    <label for="password">${t('login.password')}</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256"${email ? ' autofocus' : ''}${error ? ' aria-describedby="login-error"' : ''}>
    <button type="submit">${t('login.submit')}</button>
  </form>
  <p class="login-hint">${t('login.hint').replace('{command}', '<code>atento agent add</code>')}</p>
</main>
</body>
</html>`;
}

export function renderConsolePage(agent: Agent, lang: ConsoleLang): string {
  const t = (key: TextKey) => escapeHtml(translate(lang, key));
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title data-i18n="shell.title">${t('shell.title')}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/agent/console.css">
<script src="/agent/console.js" defer></script>
</head>
<body class="console-page" data-agent-name="${escapeHtml(agent.name)}" data-agent-role="${escapeHtml(agent.role)}">
${renderTeamNav(agent, 'conversations', lang)}
<noscript>${t('shell.noscript')}</noscript>
<div id="console-root"></div>
</body>
</html>`;
}
