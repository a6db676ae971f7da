import type { Lang } from './knowledge/types';
import type { ConversationStatus, StoredMessage } from './store';

/**
 * The app's internal events, named `noun.verb`. Services emit them; listeners (the shopper gateway,
 * the handoff service, the agent console) react. Handlers run synchronously in registration order.
 */
export interface AtentoEvents {
  /** Any stored message, from any sender. Notes are included; the shopper gateway never delivers them. */
  'message.created': { message: StoredMessage };
  /** A shopper message refused with `busy` (load shedding): nothing stored, the client re-sends it. */
  'message.shed': { conversationId: string };
  /** The handoff service accepted a request for a person; `reason` is the intent or FAQ id, or "button". */
  'conversation.handoff_requested': { conversationId: string; reason: string; lang: Lang };
  'conversation.status_changed': {
    conversationId: string;
    status: ConversationStatus;
    /** false when the shopper asked for a person and nobody can come now. */
    agentsAvailable?: boolean;
    position?: number;
    etaSeconds?: number;
    agentName?: string;
  };
  /**
   * A shopper socket joined a conversation (after its hello) or closed. One per socket: a shopper with
   * two tabs connects twice; the handoff's presence counts them (agents see "en línea" / "se fue hace…").
   */
  'shopper.connected': { conversationId: string };
  'shopper.disconnected': { conversationId: string };
  /** Someone started or stopped typing in a conversation. */
  'conversation.typing': { conversationId: string; from: 'shopper' | 'agent'; isTyping: boolean; agentName?: string; agentId?: string };
}

export type EventName = keyof AtentoEvents;
type Handler<E extends EventName> = (payload: AtentoEvents[E]) => void;

export class EventBus {
  private readonly handlers = new Map<EventName, Set<Handler<never>>>();

  constructor(private readonly onHandlerError: (event: EventName, error: unknown) => void) {}

  /** Returns a function that removes the handler. */
  on<E extends EventName>(event: E, handler: Handler<E>): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler as Handler<never>);
    return () => set.delete(handler as Handler<never>);
  }

  emit<E extends EventName>(event: E, payload: AtentoEvents[E]): void {
    for (const handler of this.handlers.get(event) ?? []) {
      // One failing listener must not stop the others or the sender's flow.
      try {
        (handler as Handler<E>)(payload);
      } catch (error) {
        this.onHandlerError(event, error);
      }
    }
  }
}
