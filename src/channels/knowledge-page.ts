import type { Agent } from '../store';
import type { ConsoleLang } from './console-text';
import { escapeHtml } from './demo-page';
import { renderTeamNav } from './team-nav';

/**
 * The knowledge page's HTML shell (/agent/knowledge, role editor): the static sections and forms, with
 * labels; /agent/knowledge.js fills them from the JSON routes. Only our text plus escaped values.
 * The team bar follows the agent's language; the page's own texts are Spanish (marked lang="es").
 */
export function renderKnowledgePage(agent: Agent, lang: ConsoleLang): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Atento · Conocimiento</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/agent/console.css">
<link rel="stylesheet" href="/agent/knowledge.css">
<script src="/agent/knowledge.js" defer></script>
</head>
<body class="knowledge-page" data-agent-name="${escapeHtml(agent.name)}" data-agent-role="${escapeHtml(agent.role)}">
${renderTeamNav(agent, 'knowledge', lang)}
<noscript lang="es">Esta página necesita JavaScript.</noscript>
<main class="kb-main" lang="es">
  <h1 class="visually-hidden">Conocimiento</h1>
  <section class="kb-panel" aria-labelledby="status-title">
    <h2 id="status-title">Estado de la base de conocimiento</h2>
    <div id="kb-status" aria-live="polite"><p class="empty">Cargando…</p></div>
  </section>

  <section class="kb-panel" aria-labelledby="overlaps-title">
    <h2 id="overlaps-title">Frases que se confunden</h2>
    <p class="kb-hint">Frases que el bot no respondería con su propia FAQ sin dudar: otra FAQ gana, o queda tan cerca que el bot pregunta "¿quisiste decir…?". Cámbialas de palabras o pásalas a la FAQ que corresponde.</p>
    <div id="overlaps-list" aria-live="polite"><p class="empty">Cargando…</p></div>
  </section>

  <section class="kb-panel" aria-labelledby="placeholders-title">
    <h2 id="placeholders-title">Datos de ejemplo por cambiar</h2>
    <div id="placeholders-list" aria-live="polite"><p class="empty">Cargando…</p></div>
  </section>

  <section class="kb-panel" aria-labelledby="try-title">
    <h2 id="try-title">Probar el bot</h2>
    <form id="try-form" class="kb-form kb-inline">
      <label for="try-text">Pregunta</label>
      <input id="try-text" name="text" type="text" maxlength="1000" required autocomplete="off" placeholder="¿Cuánto tarda el envío?">
      <label for="try-lang">Idioma</label>
      <select id="try-lang" name="lang">
        <option value="">Detectar</option>
        <option value="es">Español</option>
        <option value="en">Inglés</option>
      </select>
      <button type="submit" class="primary">Probar</button>
    </form>
    <div id="try-result" aria-live="polite"></div>
  </section>

  <section class="kb-panel kb-gaps" aria-labelledby="gaps-title">
    <h2 id="gaps-title" tabindex="-1">Preguntas sin buena respuesta</h2>
    <form id="gaps-filter" class="kb-form kb-inline">
      <label for="gaps-lang">Idioma</label>
      <select id="gaps-lang" name="lang">
        <option value="">Todos</option>
        <option value="es">Español</option>
        <option value="en">Inglés</option>
      </select>
      <label for="gaps-since">Desde</label>
      <input id="gaps-since" name="since" type="date">
      <button type="submit">Actualizar</button>
    </form>
    <p class="kb-hint">Agrupadas por significado, los grupos más grandes primero. Elige preguntas de un grupo y añádelas a una FAQ que ya existe, o crea una FAQ nueva.</p>
    <div id="gaps-list"><p class="empty">Cargando…</p></div>
  </section>

  <section class="kb-panel" aria-labelledby="phrasings-title">
    <h2 id="phrasings-title">Añadir frases a una FAQ</h2>
    <form id="phrasings-form" class="kb-form">
      <label for="phrasings-lang">Idioma</label>
      <select id="phrasings-lang" name="lang">
        <option value="es">Español</option>
        <option value="en">Inglés</option>
      </select>
      <label for="phrasings-id">FAQ</label>
      <select id="phrasings-id" name="id" required></select>
      <label for="phrasings-text">Frases nuevas (una por línea)</label>
      <textarea id="phrasings-text" name="phrasings" rows="4" required></textarea>
      <button type="submit" class="primary">Añadir frases</button>
    </form>
  </section>

  <section class="kb-panel" aria-labelledby="faq-title">
    <h2 id="faq-title">Nueva FAQ</h2>
    <form id="faq-form" class="kb-form">
      <label for="faq-id">Identificador (minúsculas, números y guiones)</label>
      <input id="faq-id" name="id" type="text" required maxlength="80" pattern="[a-z0-9]+(-[a-z0-9]+)*" autocomplete="off" placeholder="tarjetas-de-regalo">
      ${languageFieldset('es', 'Español', true)}
      ${languageFieldset('en', 'Inglés', false)}
      <button type="submit" class="primary">Crear FAQ</button>
    </form>
  </section>

  <div id="edit-result" class="kb-result" role="status" aria-live="polite"></div>
</main>
</body>
</html>`;
}

function languageFieldset(lang: 'es' | 'en', name: string, checked: boolean): string {
  return `<fieldset class="kb-lang" data-lang="${lang}">
        <legend><label><input type="checkbox" id="faq-${lang}-on" name="${lang}"${checked ? ' checked' : ''}> ${name}</label></legend>
        <label for="faq-${lang}-question">Pregunta principal</label>
        <input id="faq-${lang}-question" type="text" maxlength="300" autocomplete="off">
        <label for="faq-${lang}-phrasings">Otras formas de preguntarlo (una por línea)</label>
        <textarea id="faq-${lang}-phrasings" rows="4"></textarea>
        <label for="faq-${lang}-answer">Respuesta (markdown)</label>
        <textarea id="faq-${lang}-answer" rows="4" maxlength="5000"></textarea>
        <label for="faq-${lang}-file">Archivo</label>
        <input id="faq-${lang}-file" type="text" list="files-${lang}" maxlength="200" value="${lang}/${lang === 'es' ? 'nuevas' : 'new'}.md" autocomplete="off">
        <datalist id="files-${lang}"></datalist>
      </fieldset>`;
}

/** An agent without the editor role: the same answer the JSON routes give, for a person. */
export function renderKnowledgeForbiddenPage(): string {
  return `<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Atento · Sin permiso</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/agent/console.css">
</head>
<body class="login-page">
<main class="login-card">
  <h1>Sin permiso</h1>
  <p>La página de conocimiento es para el rol <strong>editor</strong> o <strong>admin</strong>. Pide a un administrador que cambie tu rol (<code>atento agent role --email … --role editor</code>).</p>
  <p><a href="/agent">Volver a la consola</a></p>
</main>
</body>
</html>`;
}
