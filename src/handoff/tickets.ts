import type { EventBus } from '../events';
import { MailError, type Mailer } from '../mail';
import type { Store, StoredMessage } from '../store';
import type { HandoffTables } from '../store/handoff';
import { ticketReplyEmail } from './ticket-email';

export type TicketReplyError = 'not_found' | 'ticket_closed' | 'mail_not_configured' | 'mail_failed' | 'mail_busy';
export type TicketReplyResult = { ok: true; message: StoredMessage } | { ok: false; error: TicketReplyError; detail?: string };

/**
 * Answering tickets by e-mail: the reply goes out by SMTP and is kept in the conversation (so the
 * shopper sees it in the widget if they come back), and the shopper's e-mail answer can be added back.
 * The reply is saved as the ticket's draft before sending, so a refused send or a crash loses nothing.
 */
export class TicketReplies {
  /** Tickets with a send in flight: a double click must not e-mail the shopper twice. */
  private readonly sending = new Set<number>();

  constructor(
    private readonly deps: { store: Store; tables: HandoffTables; events: EventBus; mailer: Mailer; shopName: string; onChange: () => void },
  ) {}

  async answer(agentName: string, ticketId: number, text: string): Promise<TicketReplyResult> {
    const { store, tables, mailer } = this.deps;
    const ticket = tables.tickets.get(ticketId);
    if (!ticket) return { ok: false, error: 'not_found' };
    if (ticket.status === 'closed') return { ok: false, error: 'ticket_closed' };
    if (this.sending.has(ticketId)) return { ok: false, error: 'mail_busy' };
    tables.tickets.saveDraft(ticketId, text);
    if (!mailer.configured) {
      this.deps.onChange();
      return { ok: false, error: 'mail_not_configured' };
    }
    this.sending.add(ticketId);
    try {
      await mailer.send(ticketReplyEmail(ticket, text, agentName, this.deps.shopName));
    } catch (error) {
      this.deps.onChange();
      const code = error instanceof MailError ? error.code : 'mail_failed';
      return { ok: false, error: code, detail: (error as Error).message };
    } finally {
      this.sending.delete(ticketId);
    }
    const message = store.transaction(() => {
      tables.tickets.markAnswered(ticketId, agentName);
      return store.messages.insert({ conversationId: ticket.conversationId, sender: 'agent', text, lang: ticket.lang, authorName: agentName, via: 'email' });
    });
    this.deps.events.emit('message.created', { message });
    this.deps.onChange();
    return { ok: true, message };
  }

  /** The agent pastes the shopper's e-mail answer: kept as the shopper's message, and the ticket is open again. */
  addShopperReply(ticketId: number, text: string): TicketReplyResult {
    const { store, tables } = this.deps;
    const ticket = tables.tickets.get(ticketId);
    if (!ticket) return { ok: false, error: 'not_found' };
    if (ticket.status === 'closed') return { ok: false, error: 'ticket_closed' };
    const message = store.transaction(() => {
      tables.tickets.reopen(ticketId);
      return store.messages.insert({ conversationId: ticket.conversationId, sender: 'shopper', text, lang: ticket.lang, via: 'email' });
    });
    this.deps.events.emit('message.created', { message });
    this.deps.onChange();
    return { ok: true, message };
  }
}
