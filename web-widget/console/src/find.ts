import type { AgentClientFrame, FoundConversationItem } from '../../../src/channels/agent-protocol';
import type { Channel } from '../../../src/store/conversations';
import { channelName, formatDate, formatTime, h, onActivate } from './dom';
import { t } from './i18n';

/**
 * The "Buscar" tab: past conversations by a word of their messages (an order number), the shopper's name
 * or e-mail, or the conversation's id. Results open read-only, like any chat that is not the agent's.
 */

const MIN_QUERY = 2;
const search = { query: '', asked: '', results: [] as FoundConversationItem[] };

export interface FindContext {
  send(frame: AgentClientFrame): boolean;
  openConversation(conversationId: string): void;
}

/** Only the answer to what is in the box now: an older, slower search does not replace it. */
export function conversationsFound(query: string, results: FoundConversationItem[]): boolean {
  if (query !== search.asked) return false;
  search.results = results;
  return true;
}

export function findPanel(context: FindContext): HTMLElement[] {
  const box = h('input', { id: 'find-query', type: 'search', maxlength: '100', 'data-focus': 'find-query', placeholder: t('find.placeholder'), autocomplete: 'off' });
  box.value = search.query;
  box.addEventListener('input', () => (search.query = box.value));
  const form = h('form', { class: 'find-form', role: 'search' }, h('label', { for: box.id }, t('find.label')), box, h('button', { type: 'submit', class: 'small', 'data-focus': 'find-submit' }, t('find.submit')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const query = box.value.trim();
    if (query.length < MIN_QUERY) return;
    search.asked = query;
    context.send({ type: 'find_conversations', query });
  });
  const results = search.asked === '' ? [] : search.results.length ? search.results.map((found) => resultCard(found, context)) : [h('p', { class: 'empty' }, t('find.none', { query: search.asked }))];
  return [form, ...results];
}

/** A long message from a little before the words searched for: the preview shows one line. */
function around(text: string, query: string): string {
  const at = text.toLowerCase().indexOf(query.toLowerCase());
  return at > 30 ? `…${text.slice(at - 20)}` : text;
}

function resultCard(found: FoundConversationItem, context: FindContext): HTMLElement {
  const status = (['bot', 'waiting', 'agent', 'resolved'] as const).find((known) => known === found.status);
  const card = h(
    'article',
    { class: 'card found', tabindex: '0', 'data-focus': `found:${found.id}` },
    h('div', { class: 'card-top' }, h('strong', {}, found.displayName), h('span', { class: 'lang' }, channelName(found.channel as Channel))),
    h('div', { class: 'reason' }, `${formatDate(found.updatedAt)} ${formatTime(found.updatedAt)}${status ? ` · ${t(`chat.status.${status}`)}` : ''}`),
    found.shopperEmail ? h('p', { class: 'ticket-email' }, found.shopperEmail) : null,
    found.matched ? h('p', { class: 'preview' }, around(found.matched, search.asked)) : null,
  );
  onActivate(card, () => context.openConversation(found.id));
  return card;
}
