import type { EventBus } from '../events';
import { MailError, type Mailer } from '../mail';
import type { Conversation, Store } from '../store';
import { csatQuestion } from './csat';
import type { PostMessage } from './post';
import type { AgentActionResult } from './service';
import { composeTicketReply } from './ticket-replies';

export interface TicketDeskDeps {
  store: Store;
  events: EventBus;
  mailer: Mailer;
  shopName: string;
  post: PostMessage;
  agentName: (agentId: string) => Promise<string>;
  /** The consoles' ticket list must refresh. */
  ticketsChanged: () => void;
}

/**
 * The tickets of the console: messages shoppers left while nobody was there, and WhatsApp chats past the
 * reply window, answered by e-mail. The conversation keeps the whole thread.
 */
export class TicketDesk {
  /** Tickets whose reply is on its way to the mail server: a second click must not send it twice. */
  private readonly sending = new Set<number>();

  constructor(private readonly deps: TicketDeskDeps) {}

  get emailConfigured(): boolean {
    return this.deps.mailer.configured;
  }

  /**
   * Sends an agent's answer to a ticket by e-mail; only once the mail server took it is the reply kept in
   * the conversation (so the shopper also sees it if they come back to the chat) and the ticket answered.
   * A refusal leaves everything as it was.
   */
  async answer(agentId: string, ticketId: number, text: string): Promise<AgentActionResult> {
    const { store, events } = this.deps;
    const ticket = await store.tickets.get(ticketId);
    if (!ticket) return { ok: false, error: 'not_found' };
    if (this.sending.has(ticketId)) return { ok: false, error: 'already_taken' };
    this.sending.add(ticketId);
    const authorName = await this.deps.agentName(agentId);
    try {
      await this.deps.mailer.send(composeTicketReply(ticket, { text, agentName: authorName, shopName: this.deps.shopName }));
    } catch (error) {
      if (error instanceof MailError) return { ok: false, error: error.code, message: error.message };
      throw error;
    } finally {
      this.sending.delete(ticketId);
    }
    const rating = csatQuestion(ticket.lang);
    const stored = await store.tickets.recordAnswer(ticketId, agentId, [
      { conversationId: ticket.conversationId, sender: 'agent', text, lang: ticket.lang, authorName, via: 'email' },
      { conversationId: ticket.conversationId, sender: 'bot', text: rating.text, lang: ticket.lang, options: rating.options },
    ]);
    for (const message of stored) events.emit('message.created', { message });
    this.deps.ticketsChanged();
    return { ok: true };
  }

  /** The shopper answered the reply by e-mail and an agent pasted it: the thread stays whole in Atento. */
  async recordEmailReply(ticketId: number, text: string): Promise<AgentActionResult> {
    const ticket = await this.deps.store.tickets.get(ticketId);
    if (!ticket) return { ok: false, error: 'not_found' };
    await this.deps.post(ticket.conversationId, 'shopper', text, ticket.lang, { via: 'email' });
    this.deps.ticketsChanged();
    return { ok: true };
  }

  async close(agentId: string, ticketId: number): Promise<AgentActionResult> {
    if (!(await this.deps.store.tickets.close(ticketId, agentId))) return { ok: false, error: 'not_found' };
    this.deps.ticketsChanged();
    return { ok: true };
  }

  /**
   * Outside WhatsApp's 24-hour window the chat cannot reach the shopper: with an e-mail on file the case
   * becomes a ticket (once), answered by e-mail from the console's ticket list.
   */
  async openPastReplyWindow(conversation: Conversation): Promise<void> {
    const { store } = this.deps;
    if (!conversation.shopperEmail || (await store.tickets.open()).some((ticket) => ticket.conversationId === conversation.id)) return;
    const lastWords = (await store.handoffs.lastShopperText(conversation.id)) ?? '';
    await store.tickets.create({
      conversationId: conversation.id,
      name: conversation.shopperName ?? 'WhatsApp',
      email: conversation.shopperEmail,
      message: lastWords,
      lang: conversation.lang,
      reason: 'whatsapp-window',
    });
    this.deps.ticketsChanged();
  }
}
