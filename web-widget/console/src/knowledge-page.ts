import type { KnowledgeGap } from '../../../src/gaps';
import type { KnowledgeStatus } from '../../../src/engine';
import { isConsoleLang, LANG_COOKIE } from '../../../src/channels/console-text';
import { knowledgeText, knowledgeWord, type KnowledgeTextKey } from '../../../src/channels/knowledge-text';
import { problemMessage } from '../../../src/knowledge/problems';
import type { Problem } from '../../../src/knowledge/types';
import { renderRichText } from '../../src/rich-text';
import { formatDate, formatTime, h, replaceChildren } from './dom';
import { chooseLanguage, consoleLang } from './i18n';
import { wireTeamNav } from './team-nav';

/**
 * The editor's knowledge page: what the bot missed, grouped by meaning; adding those questions to a
 * FAQ or writing a new one; and "try the bot" to see the decision before and after. Every text from
 * the server goes in through textContent (src/channels/knowledge-page.ts has the static shell).
 */

interface Faq { id: string; lang: 'es' | 'en'; question: string; phrasings: string[]; file: string; line: number }
interface Candidate { id: string; question: string; kind: string | null; confidence: number; matched: string[]; elsewhere: string[] }
interface Choice { id: string; label: string }
interface TryResult {
  version: string; action: string; lang: string; id: string | null; confidence: number; text: string; options: Choice[]; related: Choice[]; candidates: Candidate[];
  explanation: { normalized: string; corrections: Array<{ from: string; to: string }>; unknownWords?: string[]; rule?: string };
}
interface Overlap { lang: string; id: string; question: string; with: string; withQuestion: string; phrasing: string; own: number; rival: number; file: string; line: number }
interface Placeholder { file: string; line: number; id: string; text: string; key?: string }
interface EditResult { files: Array<{ file: string; backup: string | null }>; warnings: Problem[]; version: string; live: boolean; added?: string[] }

type Refusal = Pick<Problem, 'code' | 'values'>;

class ApiError extends Error {
  constructor(message: string, readonly problems: Problem[] = [], refusal?: Refusal) {
    // The page's language, when the server says what was refused and not only in English.
    super(refusal ? problemMessage({ ...refusal, message }, pageLang) : message);
  }
}

/** The language the server rendered the shell in (from its cookie): the script's texts follow it. */
const pageLang = isConsoleLang(document.documentElement.lang) ? document.documentElement.lang : 'es';
/** This page's text in the page's language (src/channels/knowledge-text.ts). */
const k = (key: KnowledgeTextKey, vars?: Record<string, string | number>) => knowledgeText(pageLang, key, vars);
const named = (prefix: string, word: string, vars?: Record<string, string | number>) => knowledgeWord(pageLang, prefix, word, vars);

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const state = { faqs: [] as Faq[], files: {} as Record<string, string[]>, lastTry: null as { text: string; lang: string } | null };

async function api<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = (data as { error?: { message?: string; problems?: Problem[]; refusal?: Refusal } }).error;
    throw new ApiError(error?.message ?? `Error ${response.status}`, error?.problems ?? [], error?.refusal);
  }
  return data as T;
}

const percent = (value: number) => `${Math.round(value * 100)} %`;
// In the page's language, like the rest of it (the CLI prints them in English).
const problemLine = (p: Problem) => h('li', { class: p.severity === 'error' ? 'kb-error' : 'kb-warning' }, `${p.file}:${p.line}: ${problemMessage(p, pageLang)}`);
const lines = (text: string) => text.split('\n').map((line) => line.trim()).filter(Boolean);

async function loadOverlaps(): Promise<void> {
  const region = $('overlaps-list');
  try {
    const { overlaps, phrasings } = await api<{ overlaps: Overlap[] | null; phrasings: number }>('/agent/api/knowledge/overlaps');
    if (overlaps === null) return replaceChildren(region, h('p', { class: 'empty' }, k('kb.overlaps.tooMany', { phrasings })));
    if (overlaps.length === 0) return replaceChildren(region, h('p', { class: 'kb-ok' }, k('kb.overlaps.none')));
    replaceChildren(
      region,
      h('ul', { class: 'kb-overlaps' }, ...overlaps.map((o) =>
        h('li', {},
          h('span', { class: 'kb-question' }, k('kb.quoted', { text: o.phrasing })),
          k('kb.overlaps.belongs', { lang: named('kb.lang', o.lang) }), h('strong', {}, o.question), k('kb.overlaps.but', { own: percent(o.own), where: `${o.file}:${o.line}` }), h('strong', {}, o.withQuestion), ` (${percent(o.rival)}).`))),
    );
  } catch (error) {
    replaceChildren(region, h('p', { class: 'kb-error' }, (error as Error).message));
  }
}

async function loadPlaceholders(): Promise<void> {
  const region = $('placeholders-list');
  try {
    const { placeholders, shopCountry, valuesFile } = await api<{ placeholders: Placeholder[]; shopCountry: string; valuesFile: string }>('/agent/api/knowledge/placeholders');
    if (placeholders.length === 0) return replaceChildren(region, h('p', { class: 'kb-ok' }, k('kb.placeholders.none')));
    const values = placeholders.filter((p) => p.key).length;
    replaceChildren(
      region,
      h('p', {}, k('kb.placeholders.summary', { count: placeholders.length, values, country: shopCountry, file: valuesFile, written: placeholders.length - values })),
      h('details', {},
        h('summary', {}, k('kb.placeholders.list')),
        h('ul', { class: 'kb-placeholders' }, ...placeholders.map((p) =>
          h('li', {}, `${p.file}:${p.line} · ${p.id}: `, p.key ? h('code', {}, p.key) : null, p.key ? k('kb.placeholders.shows', { text: p.text }) : k('kb.quoted', { text: p.text }))))),
    );
  } catch (error) {
    replaceChildren(region, h('p', { class: 'kb-error' }, (error as Error).message));
  }
}

async function loadStatus(): Promise<void> {
  const region = $('kb-status');
  try {
    const status = await api<KnowledgeStatus>('/agent/api/knowledge/status');
    const warnings = status.problems.filter((p) => p.severity === 'warning');
    // Only at start-up does a version with errors serve (its broken entries left out).
    const liveErrors = status.problems.filter((p) => p.severity === 'error');
    replaceChildren(
      region,
      h('p', {}, k('kb.status.summary', { version: status.version, entries: status.entries, date: formatDate(status.loadedAt), time: formatTime(status.loadedAt), warnings: warnings.length === 1 ? k('kb.status.warning') : k('kb.status.warnings', { count: warnings.length }) })),
      liveErrors.length
        ? h('div', { class: 'kb-rejected', role: 'alert' }, h('p', {}, k('kb.status.liveErrors')), h('ul', {}, ...liveErrors.map(problemLine)))
        : null,
      status.rejected
        ? h('div', { class: 'kb-rejected', role: 'alert' },
            h('p', {}, k('kb.status.rejected', { time: formatTime(status.rejected.at) })),
            h('ul', {}, ...status.rejected.problems.filter((p) => p.severity === 'error').map(problemLine)))
        : liveErrors.length
          ? null
          : h('p', { class: 'kb-ok' }, k('kb.status.ok')),
      // Warnings keep nothing from the bot: listed, but folded away.
      warnings.length ? h('details', {}, h('summary', {}, k('kb.status.showWarnings')), h('ul', {}, ...warnings.map(problemLine))) : null,
    );
  } catch (error) {
    replaceChildren(region, h('p', { class: 'kb-error' }, (error as Error).message));
  }
}

async function loadFaqs(): Promise<void> {
  const data = await api<{ faqs: Faq[]; files: Record<string, string[]> }>('/agent/api/knowledge/faqs');
  state.faqs = data.faqs;
  state.files = data.files;
  fillFaqSelect();
  for (const lang of ['es', 'en']) replaceChildren($(`files-${lang}`), ...(data.files[lang] ?? []).map((file) => h('option', { value: file })));
}

function fillFaqSelect(selected?: string): void {
  const lang = $<HTMLSelectElement>('phrasings-lang').value;
  const select = $<HTMLSelectElement>('phrasings-id');
  const current = selected ?? select.value;
  const faqs = state.faqs.filter((faq) => faq.lang === lang).sort((a, b) => a.question.localeCompare(b.question, lang));
  replaceChildren(select, ...faqs.map((faq) => h('option', { value: faq.id, selected: faq.id === current }, `${faq.question} (${faq.id})`)));
}

async function runTry(text: string, lang: string): Promise<void> {
  state.lastTry = { text, lang };
  const region = $('try-result');
  try {
    const query = new URLSearchParams({ text, ...(lang ? { lang } : {}) });
    const result = await api<TryResult>(`/agent/api/knowledge/try?${query}`);
    replaceChildren(region, renderTry(text, result));
  } catch (error) {
    replaceChildren(region, h('p', { class: 'kb-error', role: 'alert' }, (error as Error).message));
  }
}

function renderTry(question: string, result: TryResult): HTMLElement {
  const decision = `${named('kb.decision', result.action)}${result.id ? ` → ${result.id}` : ''} (${k('kb.try.confidence', { confidence: percent(result.confidence) })}, ${named('kb.lang', result.lang)})`;
  const rows = result.candidates.map((c) =>
    h('tr', {},
      h('td', {}, h('span', { class: 'kb-question' }, c.question), h('span', { class: 'kb-id' }, ` ${c.id}${c.kind === 'intent' ? k('kb.try.intent') : ''}`)),
      h('td', { class: 'kb-num' }, percent(c.confidence)),
      h('td', {}, c.matched.join(', ') || '—'),
      h('td', {}, c.elsewhere.join(', ') || '—')));
  const { rule, unknownWords = [] } = result.explanation;
  return h('div', { class: 'kb-try', 'data-action': result.action },
    h('p', { class: 'kb-decision' }, h('strong', {}, k('kb.try.decision')), decision),
    h('p', {}, h('strong', {}, k('kb.try.asked')), question, result.explanation.corrections.length ? k('kb.try.corrected', { corrections: result.explanation.corrections.map((c) => `${c.from} → ${c.to}`).join(', ') }) : ''),
    rule ? h('p', { class: 'kb-why' }, h('strong', {}, k('kb.try.why')), named('kb.rule', rule, { words: result.candidates[0]?.matched.join(', ') || k('kb.rule.noWord') })) : null,
    unknownWords.length ? h('p', { class: 'kb-unknown' }, k('kb.try.unknown', { words: unknownWords.join(', ') })) : null,
    h('div', { class: 'kb-answer' },
      h('p', {}, h('strong', {}, k('kb.try.wouldSay'))),
      h('div', { class: 'rich' }, renderRichText(result.text)),
      renderChoices(k('kb.try.options'), result.options, 'kb-options'),
      renderChoices(k('kb.try.related'), result.related, 'kb-related')),
    h('table', { class: 'kb-table' },
      h('caption', {}, k('kb.try.candidates', { version: result.version })),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, k('kb.try.col.faq')), h('th', { scope: 'col' }, k('kb.try.col.confidence')), h('th', { scope: 'col' }, k('kb.try.col.matched')), h('th', { scope: 'col' }, k('kb.try.col.elsewhere')))),
      h('tbody', {}, ...rows)));
}

/** What the shopper would get under the reply to pick from (the "did you mean…?" buttons or related questions); shown, not clickable. */
function renderChoices(heading: string, choices: Choice[], className: string): HTMLElement | null {
  if (choices.length === 0) return null;
  return h('div', { class: className },
    h('p', {}, h('strong', {}, heading)),
    h('ul', { class: 'kb-choices' }, ...choices.map((choice) => h('li', {}, choice.label, h('span', { class: 'kb-id' }, ` ${choice.id}`)))));
}

async function loadGaps(): Promise<void> {
  const region = $('gaps-list');
  const lang = $<HTMLSelectElement>('gaps-lang').value;
  const since = $<HTMLInputElement>('gaps-since').value;
  const query = new URLSearchParams({ ...(lang ? { lang } : {}), ...(since ? { since } : {}) });
  try {
    const { groups } = await api<{ groups: KnowledgeGap[] }>(`/agent/api/knowledge/gaps?${query}`);
    if (groups.length === 0) return replaceChildren(region, h('p', { class: 'empty' }, k('kb.gaps.none')));
    replaceChildren(region, h('ol', { class: 'kb-groups' }, ...groups.map((group, index) => h('li', {}, renderGroup(group, index)))));
  } catch (error) {
    replaceChildren(region, h('p', { class: 'kb-error', role: 'alert' }, (error as Error).message));
  }
}

function renderGroup(group: KnowledgeGap, index: number): HTMLElement {
  const headingId = `group-${index}`;
  const reasons = Object.entries(group.reasons).map(([reason, count]) => `${count} ${named('kb.reason', reason)}`).join(', ');
  const boxes = group.examples.map((example, i) =>
    h('li', {}, h('label', {}, h('input', { type: 'checkbox', value: example.text, checked: i < 3 }), ` ${k('kb.quoted', { text: example.text })}`, example.count > 1 ? h('span', { class: 'kb-count' }, ` ×${example.count}`) : null)));
  const chosen = (article: HTMLElement) => [...article.querySelectorAll<HTMLInputElement>('input[type=checkbox]:checked')].map((box) => box.value);
  const closest = group.closest;
  const article: HTMLElement = h('article', { class: 'kb-group', 'aria-labelledby': headingId },
    h('h3', { id: headingId }, k('kb.quoted', { text: group.examples[0]?.text ?? '' })),
    h('p', { class: 'kb-meta' }, k('kb.gaps.meta', { count: group.count, questions: k(group.count === 1 ? 'kb.gaps.question' : 'kb.gaps.questions'), lang: named('kb.lang', group.lang), reasons, date: formatDate(group.lastAskedAt) })),
    h('p', {}, k('kb.gaps.closest'), closest ? h('span', {}, h('span', { class: 'kb-question' }, closest.question), ` (${closest.id}, ${percent(closest.confidence)}, ${closest.file}:${closest.line})`) : k('kb.gaps.noClosest')),
    closest?.answeredNow ? h('p', { class: 'kb-answered-now' }, k('kb.gaps.answeredNow')) : null,
    h('fieldset', {}, h('legend', {}, k('kb.gaps.examples')), h('ul', { class: 'kb-examples' }, ...boxes)),
    h('div', { class: 'kb-actions' },
      button(k('kb.gaps.addTo'), () => startPhrasings(group, chosen(article))),
      button(k('kb.gaps.newFaq'), () => startFaq(group, chosen(article))),
      button(k('kb.gaps.try'), () => {
        const text = group.examples[0]?.text ?? '';
        $<HTMLInputElement>('try-text').value = text;
        $<HTMLSelectElement>('try-lang').value = group.lang;
        void runTry(text, group.lang);
        $('try-text').focus();
      }),
      button(k('kb.gaps.handle'), async () => {
        try {
          await api('/agent/api/knowledge/gaps/handled', { lang: group.lang, keys: group.keys });
          showResult(h('p', {}, k('kb.gaps.handled', { question: group.examples[0]?.text ?? '' })));
          await loadGaps();
          // The group's buttons are gone: keep the keyboard in the list rather than at the top of the page.
          $('gaps-title').focus();
        } catch (error) {
          showError(error);
        }
      })));
  return article;
}

function button(label: string, onClick: () => void): HTMLButtonElement {
  const element = h('button', { type: 'button', class: 'small' }, label);
  element.addEventListener('click', onClick);
  return element;
}

function startPhrasings(group: KnowledgeGap, questions: string[]): void {
  $<HTMLSelectElement>('phrasings-lang').value = group.lang;
  fillFaqSelect(group.closest?.id);
  $<HTMLTextAreaElement>('phrasings-text').value = questions.join('\n');
  $('phrasings-id').focus();
}

function startFaq(group: KnowledgeGap, questions: string[]): void {
  for (const lang of ['es', 'en']) $<HTMLInputElement>(`faq-${lang}-on`).checked = lang === group.lang;
  const [first = '', ...rest] = questions;
  $<HTMLInputElement>(`faq-${group.lang}-question`).value = first;
  $<HTMLTextAreaElement>(`faq-${group.lang}-phrasings`).value = rest.join('\n');
  if (group.closest) $<HTMLInputElement>(`faq-${group.lang}-file`).value = group.closest.file;
  $('faq-id').focus();
}

function showResult(...content: Array<Node | string>): void {
  replaceChildren($('edit-result'), ...content);
}

function showError(error: unknown): void {
  const problems = error instanceof ApiError ? error.problems : [];
  const reason = problems.length ? k('kb.edit.wouldBreak', { count: problems.length, errors: k(problems.length === 1 ? 'kb.edit.error' : 'kb.edit.errors') }) : (error as Error).message;
  showResult(h('div', { class: 'kb-rejected', role: 'alert' }, h('p', {}, k('kb.edit.refused', { reason })), problems.length ? h('ul', {}, ...problems.map(problemLine)) : null));
}

async function afterEdit(result: EditResult, what: string): Promise<void> {
  const written = result.files.map((f) => `${f.file}${f.backup ? k('kb.edit.backup', { backup: f.backup }) : ''}`).join('; ');
  showResult(
    h('p', { class: 'kb-ok' }, `${k('kb.edit.saved', { what, files: written })} ${result.live ? k('kb.edit.live', { version: result.version }) : k('kb.edit.notLive')}`),
    result.warnings.length ? h('details', {}, h('summary', {}, k('kb.edit.warnings', { count: result.warnings.length })), h('ul', {}, ...result.warnings.map(problemLine))) : '',
  );
  await Promise.all([loadStatus(), loadFaqs(), loadGaps(), loadOverlaps(), loadPlaceholders()]);
  // Try the same question again: the editor sees the decision after the edit.
  if (state.lastTry) await runTry(state.lastTry.text, state.lastTry.lang);
}

function wire(): void {
  $('try-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void runTry($<HTMLInputElement>('try-text').value.trim(), $<HTMLSelectElement>('try-lang').value);
  });
  $('gaps-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    void loadGaps();
  });
  $('phrasings-lang').addEventListener('change', () => fillFaqSelect());
  $('phrasings-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { id: $<HTMLSelectElement>('phrasings-id').value, lang: $<HTMLSelectElement>('phrasings-lang').value, phrasings: lines($<HTMLTextAreaElement>('phrasings-text').value) };
    try {
      const result = await api<EditResult>('/agent/api/knowledge/phrasings', body);
      $<HTMLTextAreaElement>('phrasings-text').value = '';
      const added = result.added?.length ?? 0;
      await afterEdit(result, added === 1 ? k('kb.phrasings.addedOne', { id: body.id }) : k('kb.phrasings.added', { count: added, id: body.id }));
    } catch (error) {
      showError(error);
    }
  });
  $('faq-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const id = $<HTMLInputElement>('faq-id').value.trim();
    const languages: Record<string, unknown> = {};
    for (const lang of ['es', 'en']) {
      if (!$<HTMLInputElement>(`faq-${lang}-on`).checked) continue;
      languages[lang] = {
        question: $<HTMLInputElement>(`faq-${lang}-question`).value,
        phrasings: lines($<HTMLTextAreaElement>(`faq-${lang}-phrasings`).value),
        answer: $<HTMLTextAreaElement>(`faq-${lang}-answer`).value,
        file: $<HTMLInputElement>(`faq-${lang}-file`).value.trim(),
      };
    }
    try {
      const result = await api<EditResult>('/agent/api/knowledge/faqs', { id, languages });
      (event.target as HTMLFormElement).reset();
      await afterEdit(result, k('kb.faq.created', { id }));
    } catch (error) {
      showError(error);
    }
  });
}

// The shell is rendered by the server in the chosen language (the switch sets its cookie): fetched anew.
wireTeamNav(() => location.reload());
// The agent's saved choice and the cookie the server read disagree (the cookie was cleared): set it again
// and render the page anew, once (only if the cookie now holds).
if (consoleLang() !== pageLang) {
  chooseLanguage(consoleLang());
  if (document.cookie.includes(`${LANG_COOKIE}=${consoleLang()}`)) location.reload();
}
wire();
void Promise.all([loadStatus(), loadFaqs(), loadGaps(), loadOverlaps(), loadPlaceholders()]).catch(showError);
