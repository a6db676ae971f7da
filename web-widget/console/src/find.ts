import { FIND_QUERY_MIN_CHARS, type AgentClientFrame, type FoundConversationItem } from '../../../src/channels/agent-protocol';
import { foldForSearch } from '../../../src/nlp/search-fold';
import { cardOpener, channelName, formatDate, formatTime, h, replaceChildren, shopperName } from './dom';
import { consoleLang, t } from './i18n';

/**
 * The search tab: past conversations by a word of their messages (an order number), the shopper's name
 * or e-mail, or the conversation's id. Results open read-only, like any chat that is not the agent's.
 * The form is built once: the lists re-render on every queue push, and must not reset what is typed.
 */

export interface FindContext {
  send(frame: AgentClientFrame): boolean;
  openConversation(conversationId: string): void;
}

let panel: { form: HTMLFormElement; results: HTMLElement; box: HTMLInputElement; lang: string } | null = null;
/** The search sent last: its answer is shown, an older one is not. */
let asked = '';
let pending = false;

export function findPanel(context: FindContext): HTMLElement[] {
  // Built anew only when the agent switches language (what was typed stays).
  if (!panel || panel.lang !== consoleLang()) panel = build(context, panel?.box.value ?? '');
  return [panel.form, panel.results];
}

/** Whether this answer is to the search sent last (then shown). */
export function conversationsFound(query: string, results: FoundConversationItem[], context: FindContext): void {
  if (!panel || query !== asked) return;
  pending = false;
  replaceChildren(
    panel.results,
    // Read out by screen readers (the region is polite): how many, or none.
    h('p', { class: 'empty', role: 'status' }, results.length === 0 ? t('find.none', { query }) : results.length === 1 ? t('find.one') : t('find.count', { count: results.length })),
    ...results.map((found) => resultCard(found, query, context)),
  );
}

/** A refused search (too many a minute): the "searching" line gives way to the console's notice. */
export function searchRefused(): void {
  if (!panel || !pending) return;
  replaceChildren(panel.results);
  pending = false;
  asked = '';
}

function build(context: FindContext, typed: string) {
  const box = h('input', { id: 'find-query', type: 'search', required: true, minlength: String(FIND_QUERY_MIN_CHARS), maxlength: '100', placeholder: t('find.placeholder'), autocomplete: 'off' });
  box.value = typed;
  const form = h('form', { class: 'find-form', role: 'search' }, h('label', { for: box.id }, t('find.label')), box, h('button', { type: 'submit', class: 'small' }, t('find.submit')));
  const results = h('div', { class: 'find-results', 'aria-live': 'polite' });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    asked = box.value.trim();
    if (!context.send({ type: 'find_conversations', query: asked })) return;
    pending = true;
    replaceChildren(results, h('p', { class: 'empty' }, t('find.searching')));
  });
  return { form, results, box, lang: consoleLang() };
}

/** A long message from a little before the words searched for: the preview shows one line. */
function around(text: string, query: string): string {
  const at = foldForSearch(text).indexOf(foldForSearch(query));
  return at > 30 ? `…${text.slice(at - 20)}` : text;
}

function resultCard(found: FoundConversationItem, query: string, context: FindContext): HTMLElement {
  const card = h('article', { class: 'card found' });
  const reasonId = `found-reason-${found.id}`;
  replaceChildren(
    card,
    h('div', { class: 'card-top' }, cardOpener(card, shopperName(found), reasonId, () => context.openConversation(found.id)), h('span', { class: 'lang' }, channelName(found.channel))),
    h('div', { class: 'reason', id: reasonId }, `${formatDate(found.updatedAt)} ${formatTime(found.updatedAt)} · ${t(`chat.status.${found.status}`)}`),
    found.shopperEmail ? h('p', { class: 'ticket-email' }, found.shopperEmail) : null,
    found.matched ? h('p', { class: 'preview' }, around(found.matched, query)) : null,
  );
  return card;
}
