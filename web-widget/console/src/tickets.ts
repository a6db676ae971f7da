import type { AgentClientFrame, TicketItem as Ticket } from '../../../src/channels/agent-protocol';
import { formatDate, formatTime, h, reasonLabel } from './dom';
import { t } from './i18n';

/**
 * A ticket card: the shopper's message, a reply sent by e-mail from Atento, and a box to paste the
 * shopper's e-mail answer so the thread stays whole. Drafts live here, outside the DOM, so the list
 * can re-render while an agent types, and a refused send gives the text back untouched.
 */

const drafts = new Map<string, string>();
const refusals = new Map<number, string>();
const sending = new Set<number>();

export interface TicketContext {
  send(frame: AgentClientFrame): void;
  /** Shows the chat the ticket came from (what the shopper asked the bot before leaving the message). */
  openConversation(conversationId: string): void;
  emailConfigured: boolean;
}

export function ticketAnswered(ticketId: number): void {
  sending.delete(ticketId);
  refusals.delete(ticketId);
  drafts.delete(`reply:${ticketId}`);
}

export function ticketReplyStored(ticketId: number): void {
  drafts.delete(`pasted:${ticketId}`);
}

export function ticketRefused(ticketId: number, message: string): void {
  sending.delete(ticketId);
  refusals.set(ticketId, message);
}

/** The socket dropped before the server answered: the reply may or may not have gone, so the agent checks. */
export function ticketsInterrupted(message: string): boolean {
  for (const ticketId of sending) refusals.set(ticketId, message);
  const any = sending.size > 0;
  sending.clear();
  return any;
}

export function ticketCard(ticket: Ticket, context: TicketContext): HTMLElement {
  const when = ticket.answeredAt ? ` · ${ticket.answeredBy ? `${ticket.answeredBy} · ` : ''}${formatDate(ticket.answeredAt)} ${formatTime(ticket.answeredAt)}` : '';
  return h(
    'article',
    { class: `card ticket ${ticket.status}`, 'data-ticket': String(ticket.id), 'data-conversation': ticket.conversationId },
    h('div', { class: 'card-top' }, h('strong', {}, `#${ticket.id} ${ticket.name}`), h('span', { class: 'lang' }, ticket.lang.toUpperCase())),
    h('div', { class: 'reason' }, `${reasonLabel(ticket.reason, ticket.caseTitle)} · ${formatDate(ticket.createdAt)} ${formatTime(ticket.createdAt)}`),
    h('div', {}, h('span', { class: `ticket-status ${ticket.status}` }, `${t(`ticket.status.${ticket.status}`)}${when}`)),
    h('p', { class: 'ticket-email' }, ticket.email),
    h('p', { class: 'ticket-message' }, ticket.message),
    viewChatButton(ticket, context),
    context.emailConfigured ? replyForm(ticket, context) : notConfigured(ticket, context),
    pasteForm(ticket, context),
  );
}

function replyForm(ticket: Ticket, context: TicketContext): HTMLElement {
  const key = `reply:${ticket.id}`;
  const busy = sending.has(ticket.id);
  const box = h('textarea', { id: `ticket-reply-${ticket.id}`, rows: '3', maxlength: '10000', 'data-focus': key, placeholder: t('ticket.replyPlaceholder') });
  box.value = drafts.get(key) ?? '';
  box.addEventListener('input', () => drafts.set(key, box.value));
  const send = h('button', { type: 'submit', class: 'primary small', disabled: busy, 'data-focus': `send:${ticket.id}` }, busy ? t('ticket.sending') : ticket.status === 'answered' ? t('ticket.replyAgain') : t('ticket.reply'));
  const form = h(
    'form',
    { class: 'ticket-reply' },
    h('label', { for: box.id }, t('ticket.replyTo', { email: ticket.email })),
    box,
    refusals.has(ticket.id) ? h('p', { class: 'ticket-error', role: 'alert' }, refusals.get(ticket.id)!) : null,
    h('div', { class: 'ticket-actions' }, send, ticket.status === 'open' ? closeButton(ticket, context) : null),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = box.value.trim();
    if (!text || sending.has(ticket.id)) return;
    sending.add(ticket.id);
    refusals.delete(ticket.id);
    send.disabled = true;
    send.textContent = t('ticket.sending');
    context.send({ type: 'answer_ticket', ticketId: ticket.id, text });
  });
  return form;
}

function viewChatButton(ticket: Ticket, context: TicketContext): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'small', 'data-focus': `chat:${ticket.id}` }, t('ticket.viewChat'));
  button.addEventListener('click', () => context.openConversation(ticket.conversationId));
  return button;
}

function notConfigured(ticket: Ticket, context: TicketContext): HTMLElement {
  const mail = h('a', { href: `mailto:${encodeURIComponent(ticket.email).replace('%40', '@')}?subject=${encodeURIComponent(`Ticket #${ticket.id}`)}` }, ticket.email);
  return h(
    'div',
    { class: 'ticket-reply' },
    h('p', { class: 'ticket-error', role: 'note' }, t('ticket.noSmtpBefore'), mail, t('ticket.noSmtpAfter')),
    ticket.status === 'open' ? h('div', { class: 'ticket-actions' }, closeButton(ticket, context)) : null,
  );
}

function pasteForm(ticket: Ticket, context: TicketContext): HTMLElement {
  const key = `pasted:${ticket.id}`;
  const box = h('textarea', { id: `ticket-pasted-${ticket.id}`, rows: '3', maxlength: '10000', 'data-focus': key });
  box.value = drafts.get(key) ?? '';
  box.addEventListener('input', () => drafts.set(key, box.value));
  const form = h(
    'form',
    { class: 'ticket-pasted' },
    h('label', { for: box.id }, t('ticket.pastedLabel')),
    box,
    h('button', { type: 'submit', class: 'small', 'data-focus': `paste:${ticket.id}` }, t('ticket.pastedSave')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = box.value.trim();
    if (text) context.send({ type: 'ticket_email_reply', ticketId: ticket.id, text });
  });
  return h('details', { class: 'ticket-paste' }, h('summary', {}, t('ticket.pastedSummary')), form);
}

function closeButton(ticket: Ticket, context: TicketContext): HTMLButtonElement {
  const close = h('button', { type: 'button', class: 'small', 'data-focus': `close-ticket:${ticket.id}` }, t('ticket.close'));
  close.addEventListener('click', () => context.send({ type: 'close_ticket', ticketId: ticket.id }));
  return close;
}
