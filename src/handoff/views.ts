import type { Lang } from '../knowledge/types';
import type { Conversation, Store, Ticket } from '../store';
import { chatPreview } from './preview';
import type { ShopperPresence } from './shopper-presence';

/** Answered tickets stay in the console's list this long, so agents see what went out. */
const ANSWERED_SHOWN_DAYS = 7;

/**
 * "4F2": anonymous shoppers told apart by a stable tag from their conversation id. The console words it
 * in the agent's language ("Visitante 4F2", "Visitor 4F2"), so the server sends the tag, not a name.
 */
export function visitorTag(conversationId: string, digits = 3): string {
  return conversationId.replace(/[^0-9a-f]/gi, '').slice(0, digits).toUpperCase();
}

/**
 * The title an agent reads for a FAQ the bot escalated on (`faq:<id>`), in `lang` when the entry has it,
 * else in the other language; system reasons are labelled by the console. Without `lang`, Spanish first.
 */
export type EntryTitle = (entryId: string, lang?: Lang) => string | undefined;

/** Read-only views for the agent console (queue, chats, tickets, agents, transcripts). */
export class ConsoleViews {
  constructor(
    private readonly store: Store,
    /** Agents online on any node. */
    private readonly presence: { isOnline(agentId: string): boolean },
    private readonly shoppers: ShopperPresence,
    /** A FAQ's question for agents (the case label, the transcript's "what the bot used"). */
    readonly entryTitle: EntryTitle,
    private readonly now: () => Date,
    /** Chats an agent takes at once (handoff.agentCapacity): a transfer to someone at it is flagged. */
    private readonly agentCapacity: number,
  ) {}

  /** Who the agent is talking to: a name (null when anonymous) and a visitor tag, and whether they are still there. */
  shopper(conversation: Pick<Conversation, 'id' | 'shopperName' | 'shopperId' | 'page'>) {
    return {
      displayName: conversation.shopperName,
      visitorTag: visitorTag(conversation.id),
      verified: conversation.shopperId !== null,
      page: conversation.page,
      ...this.shoppers.of(conversation.id),
    };
  }

  /** In the conversation's language: an English chat reads the FAQ the shopper asked, as they asked it. */
  caseTitle(reason: string, lang: Lang): string | undefined {
    return reason.startsWith('faq:') ? this.entryTitle(reason.slice(4), lang) : undefined;
  }

  async queue() {
    const handoffs = await this.store.handoffs.queue();
    const now = this.now().getTime();
    return Promise.all(
      handoffs.map(async (handoff, index) => {
        const conversation = await this.store.conversations.get(handoff.conversationId);
        return {
          conversationId: handoff.conversationId,
          channel: conversation?.channel ?? 'web',
          position: index + 1,
          reason: handoff.reason,
          lang: handoff.lang,
          shopperName: handoff.shopperName,
          shopper: this.shopperOf(handoff.conversationId, conversation),
          caseTitle: this.caseTitle(handoff.reason, handoff.lang),
          waitingSince: handoff.requestedAt,
          waitSeconds: Math.max(0, Math.round((now - Date.parse(handoff.requestedAt)) / 1000)),
          preview: await this.preview(handoff.conversationId),
        };
      }),
    );
  }

  async chatsOf(agentId: string) {
    const handoffs = await this.store.handoffs.ofAgent(agentId);
    return Promise.all(
      handoffs.map(async (handoff) => {
        const conversation = await this.store.conversations.get(handoff.conversationId);
        return {
          conversationId: handoff.conversationId,
          channel: conversation?.channel ?? 'web',
          reason: handoff.reason,
          lang: handoff.lang,
          shopperName: handoff.shopperName,
          shopper: this.shopperOf(handoff.conversationId, conversation),
          caseTitle: this.caseTitle(handoff.reason, handoff.lang),
          assignedAt: handoff.assignedAt,
          preview: await this.preview(handoff.conversationId),
        };
      }),
    );
  }

  /** The console's search over past conversations (src/store types, `findConversations`), named as the lists name shoppers. */
  async found(text: string) {
    return (await this.store.handoffs.findConversations(text)).map((conversation) => ({ ...conversation, displayName: conversation.shopperName, visitorTag: visitorTag(conversation.id) }));
  }

  /** `answeredBy`: the name of the agent whose e-mail answered the ticket (who and when, in the list). */
  async tickets(): Promise<Array<Ticket & { caseTitle?: string; answeredBy: string | null }>> {
    const since = new Date(this.now().getTime() - ANSWERED_SHOWN_DAYS * 86_400_000).toISOString();
    const tickets = await this.store.tickets.listed(since);
    return Promise.all(
      tickets.map(async (ticket) => ({
        ...ticket,
        caseTitle: this.caseTitle(ticket.reason, ticket.lang),
        answeredBy: ticket.status === 'answered' && ticket.closedBy ? ((await this.store.agents.get(ticket.closedBy))?.name ?? null) : null,
      })),
    );
  }

  async agents() {
    const loads = new Map<string, number>();
    for (const handoff of await this.store.handoffs.assigned()) loads.set(handoff.agentId!, (loads.get(handoff.agentId!) ?? 0) + 1);
    return (await this.store.agents.list()).map((agent) => ({
      id: agent.id,
      name: agent.name,
      online: this.presence.isOnline(agent.id),
      openChats: loads.get(agent.id) ?? 0,
      full: (loads.get(agent.id) ?? 0) >= this.agentCapacity,
    }));
  }

  /** Everything an agent needs to take over: transcript (bot turns with FAQ id and confidence), shopper, history. */
  async transcript(conversationId: string) {
    const conversation = await this.store.conversations.get(conversationId);
    if (!conversation) return undefined;
    const handoff = await this.store.handoffs.current(conversationId);
    return {
      conversation,
      shopper: this.shopper(conversation),
      caseTitle: handoff ? this.caseTitle(handoff.reason, conversation.lang) : undefined,
      handoff: handoff ?? null,
      agentName: handoff?.agentId ? ((await this.store.agents.get(handoff.agentId))?.name ?? null) : null,
      messages: await this.store.messages.listAfter(conversationId, 0),
      ratings: (await this.store.csat.ofConversation(conversationId)).map(({ rating, comment, createdAt }) => ({ rating, comment, createdAt })),
      previous: await this.store.handoffs.previousConversations({ email: conversation.shopperEmail, shopperId: conversation.shopperId }, conversationId),
    };
  }

  private shopperOf(conversationId: string, conversation: Conversation | undefined) {
    return conversation ? this.shopper(conversation) : { displayName: null, visitorTag: visitorTag(conversationId), verified: false, page: null, ...this.shoppers.of(conversationId) };
  }

  private async preview(conversationId: string): Promise<string | null> {
    const text = await this.store.handoffs.lastShopperText(conversationId);
    return text === null ? null : chatPreview(text);
  }
}
