import type { Agent } from '../store';
import type { ConsoleLang } from './console-text';
import { escapeHtml } from './demo-page';
import { knowledgeText, type KnowledgeTextKey } from './knowledge-text';
import { renderTeamNav } from './team-nav';

/** The page's texts in `lang`, escaped for HTML. */
const textsIn = (lang: ConsoleLang) => (key: KnowledgeTextKey) => escapeHtml(knowledgeText(lang, key));

/**
 * The knowledge page's HTML shell (/agent/knowledge, role editor): the static sections and forms, with
 * labels; /agent/knowledge.js fills them from the JSON routes. Only our text plus escaped values. In the
 * console's language (src/channels/knowledge-text.ts); a switch in the team bar reloads the page.
 */
export function renderKnowledgePage(agent: Agent, lang: ConsoleLang): string {
  const k = textsIn(lang);
  const languageOptions = `<option value="es">${k('kb.option.es')}</option>
        <option value="en">${k('kb.option.en')}</option>`;
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${k('kb.title')}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/agent/console.css">
<link rel="stylesheet" href="/agent/knowledge.css">
<script src="/agent/knowledge.js" defer></script>
</head>
<body class="knowledge-page" data-agent-name="${escapeHtml(agent.name)}" data-agent-role="${escapeHtml(agent.role)}">
${renderTeamNav(agent, 'knowledge', lang)}
<noscript>${k('kb.noscript')}</noscript>
<main class="kb-main">
  <h1 class="visually-hidden">${k('kb.heading')}</h1>
  <section class="kb-panel" aria-labelledby="status-title">
    <h2 id="status-title">${k('kb.status.title')}</h2>
    <div id="kb-status" aria-live="polite"><p class="empty">${k('kb.loading')}</p></div>
  </section>

  <section class="kb-panel" aria-labelledby="overlaps-title">
    <h2 id="overlaps-title">${k('kb.overlaps.title')}</h2>
    <p class="kb-hint">${k('kb.overlaps.hint')}</p>
    <div id="overlaps-list"><p class="empty">${k('kb.loading')}</p></div>
  </section>

  <section class="kb-panel" aria-labelledby="placeholders-title">
    <h2 id="placeholders-title">${k('kb.placeholders.title')}</h2>
    <div id="placeholders-list"><p class="empty">${k('kb.loading')}</p></div>
  </section>

  <section class="kb-panel" aria-labelledby="try-title">
    <h2 id="try-title">${k('kb.try.title')}</h2>
    <form id="try-form" class="kb-form kb-inline">
      <label for="try-text">${k('kb.try.question')}</label>
      <input id="try-text" name="text" type="text" maxlength="1000" required autocomplete="off" placeholder="${k('kb.try.example')}">
      <label for="try-lang">${k('kb.field.lang')}</label>
      <select id="try-lang" name="lang">
        <option value="">${k('kb.try.detect')}</option>
        ${languageOptions}
      </select>
      <button type="submit" class="primary">${k('kb.try.submit')}</button>
    </form>
    <div id="try-result" aria-live="polite"></div>
  </section>

  <section class="kb-panel kb-gaps" aria-labelledby="gaps-title">
    <h2 id="gaps-title" tabindex="-1">${k('kb.gaps.title')}</h2>
    <form id="gaps-filter" class="kb-form kb-inline">
      <label for="gaps-lang">${k('kb.field.lang')}</label>
      <select id="gaps-lang" name="lang">
        <option value="">${k('kb.gaps.all')}</option>
        ${languageOptions}
      </select>
      <label for="gaps-since">${k('kb.gaps.since')}</label>
      <input id="gaps-since" name="since" type="date">
      <button type="submit">${k('kb.gaps.refresh')}</button>
    </form>
    <p class="kb-hint">${k('kb.gaps.hint')}</p>
    <div id="gaps-list"><p class="empty">${k('kb.loading')}</p></div>
  </section>

  <section class="kb-panel" aria-labelledby="phrasings-title">
    <h2 id="phrasings-title">${k('kb.phrasings.title')}</h2>
    <form id="phrasings-form" class="kb-form">
      <label for="phrasings-lang">${k('kb.field.lang')}</label>
      <select id="phrasings-lang" name="lang">
        ${languageOptions}
      </select>
      <label for="phrasings-id">FAQ</label>
      <select id="phrasings-id" name="id" required></select>
      <label for="phrasings-text">${k('kb.phrasings.new')}</label>
      <textarea id="phrasings-text" name="phrasings" rows="4" required></textarea>
      <button type="submit" class="primary">${k('kb.phrasings.submit')}</button>
    </form>
  </section>

  <section class="kb-panel" aria-labelledby="faq-title">
    <h2 id="faq-title">${k('kb.faq.title')}</h2>
    <form id="faq-form" class="kb-form">
      <label for="faq-id">${k('kb.faq.id')}</label>
      <input id="faq-id" name="id" type="text" required maxlength="80" pattern="[a-z0-9]+(-[a-z0-9]+)*" autocomplete="off" placeholder="${k('kb.faq.idExample')}">
      ${languageFieldset('es', lang, true)}
      ${languageFieldset('en', lang, false)}
      <button type="submit" class="primary">${k('kb.faq.submit')}</button>
    </form>
  </section>

  <div id="edit-result" class="kb-result" role="status" aria-live="polite"></div>
</main>
</body>
</html>`;
}

function languageFieldset(faqLang: 'es' | 'en', lang: ConsoleLang, checked: boolean): string {
  const k = textsIn(lang);
  return `<fieldset class="kb-lang" data-lang="${faqLang}">
        <legend><label><input type="checkbox" id="faq-${faqLang}-on" name="${faqLang}"${checked ? ' checked' : ''}> ${k(faqLang === 'es' ? 'kb.option.es' : 'kb.option.en')}</label></legend>
        <label for="faq-${faqLang}-question">${k('kb.faq.question')}</label>
        <input id="faq-${faqLang}-question" type="text" maxlength="300" autocomplete="off">
        <label for="faq-${faqLang}-phrasings">${k('kb.faq.phrasings')}</label>
        <textarea id="faq-${faqLang}-phrasings" rows="4"></textarea>
        <label for="faq-${faqLang}-answer">${k('kb.faq.answer')}</label>
        <textarea id="faq-${faqLang}-answer" rows="4" maxlength="5000"></textarea>
        <label for="faq-${faqLang}-file">${k('kb.faq.file')}</label>
        <input id="faq-${faqLang}-file" type="text" list="files-${faqLang}" maxlength="200" value="${faqLang}/${faqLang === 'es' ? 'nuevas' : 'new'}.md" autocomplete="off">
        <datalist id="files-${faqLang}"></datalist>
      </fieldset>`;
}

/** An agent without the editor role: the same answer the JSON routes give, for a person. */
export function renderKnowledgeForbiddenPage(lang: ConsoleLang): string {
  const k = textsIn(lang);
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${k('kb.forbidden.title')}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/agent/console.css">
</head>
<body class="login-page">
<main class="login-card">
  <h1>${k('kb.forbidden.heading')}</h1>
  <p>${k('kb.forbidden.body')} <code>atento agent role --email … --role editor</code></p>
  <p><a href="/agent">${k('kb.forbidden.back')}</a></p>
</main>
</body>
</html>`;
}
