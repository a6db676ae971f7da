import type { Store } from '../store';
import type { HandoffTables } from '../store/handoff';
import type { Ticket } from '../store/tickets';
import type { Presence } from './presence';

const PREVIEW_CHARS = 140;

/** Read-only views for the agent console (queue, chats, tickets, agents, transcripts). */
export class ConsoleViews {
  constructor(
    private readonly store: Store,
    private readonly tables: HandoffTables,
    private readonly presence: Presence,
    private readonly now: () => Date,
  ) {}

  queue() {
    const now = this.now().getTime();
    return this.tables.handoffs.queue().map((handoff, index) => ({
      conversationId: handoff.conversationId,
      position: index + 1,
      reason: handoff.reason,
      lang: handoff.lang,
      shopperName: handoff.shopperName,
      waitingSince: handoff.requestedAt,
      waitSeconds: Math.max(0, Math.round((now - Date.parse(handoff.requestedAt)) / 1000)),
      preview: this.preview(handoff.conversationId),
    }));
  }

  chatsOf(agentId: string) {
    return this.tables.handoffs.ofAgent(agentId).map((handoff) => ({
      conversationId: handoff.conversationId,
      reason: handoff.reason,
      lang: handoff.lang,
      shopperName: handoff.shopperName,
      assignedAt: handoff.assignedAt,
      preview: this.preview(handoff.conversationId),
    }));
  }

  /** Open tickets first, then answered ones (closed ones leave the list). */
  tickets(): Ticket[] {
    return this.tables.tickets.pending();
  }

  agents() {
    const loads = new Map<string, number>();
    for (const handoff of this.tables.handoffs.assigned()) loads.set(handoff.agentId!, (loads.get(handoff.agentId!) ?? 0) + 1);
    return this.tables.agents.list().map((agent) => ({
      id: agent.id,
      name: agent.name,
      online: this.presence.isOnline(agent.id),
      openChats: loads.get(agent.id) ?? 0,
    }));
  }

  /** Everything an agent needs to take over: transcript (bot turns with FAQ id and confidence), shopper, history. */
  transcript(conversationId: string) {
    const conversation = this.store.conversations.get(conversationId);
    if (!conversation) return undefined;
    const handoff = this.tables.handoffs.current(conversationId);
    return {
      conversation,
      handoff: handoff ?? null,
      agentName: handoff?.agentId ? (this.tables.agents.get(handoff.agentId)?.name ?? null) : null,
      messages: this.store.messages.listAfter(conversationId, 0),
      previous: conversation.shopperEmail ? this.tables.handoffs.previousConversations(conversation.shopperEmail, conversationId) : [],
    };
  }

  private preview(conversationId: string): string | null {
    return this.tables.handoffs.lastShopperText(conversationId)?.slice(0, PREVIEW_CHARS) ?? null;
  }
}
