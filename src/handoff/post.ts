import type { EventBus } from '../events';
import type { Lang } from '../knowledge/types';
import type { Sender, StoredMessage, Store } from '../store';

export type OptionButton = { id: string; label: string };

export interface PostExtra {
  kind?: 'text' | 'note';
  authorName?: string;
  clientMessageId?: string;
  options?: OptionButton[];
  via?: 'email';
}

/** Stores one message of the handoff (the bot's, a system line, an agent's) and announces it for delivery. */
export type PostMessage = (conversationId: string, sender: Sender, text: string, lang: Lang, extra?: PostExtra) => Promise<StoredMessage>;

export function poster(store: Store, events: EventBus): PostMessage {
  return async (conversationId, sender, text, lang, extra = {}) => {
    const message = await store.messages.insert({ conversationId, sender, text, lang, ...extra });
    events.emit('message.created', { message });
    return message;
  };
}
