import type { Agent } from '../store/agents';
import { escapeHtml } from './demo-page';

/** The console's two HTML shells. Only static text of ours plus escaped values; scripts and styles are files. */

export function renderLoginPage(error?: string, email = ''): string {
  return `<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Atento · Entrar a la consola</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/agent/console.css">
</head>
<body class="login-page">
<main class="login-card">
  <h1>Atento</h1>
  <p class="login-lead">Consola de agentes</p>
  ${error ? `<p class="login-error" role="alert">${escapeHtml(error)}</p>` : ''}
  <form method="post" action="/agent/login">
    <label for="email">Correo</label>
    <input id="email" name="email" type="email" autocomplete="username" required maxlength="254" value="${escapeHtml(email)}" autofocus>
    <label for="password">Contraseña</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256">
    <button type="submit">Entrar</button>
  </form>
  <p class="login-hint">¿Sin cuenta? Un administrador la crea con <code>atento agent add</code>.</p>
</main>
</body>
</html>`;
}

export function renderConsolePage(agent: Agent): string {
  return `<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Atento · Consola</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/agent/console.css">
<script src="/agent/console.js" defer></script>
</head>
<body class="console-page" data-agent-name="${escapeHtml(agent.name)}" data-agent-role="${escapeHtml(agent.role)}">
<noscript>La consola necesita JavaScript.</noscript>
<div id="console-root"></div>
</body>
</html>`;
}
