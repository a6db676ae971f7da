import type { ConversationStatus } from '../store';

/** What can happen to a conversation during a handoff. */
export type HandoffEvent = 'request' | 'assign' | 'requeue' | 'resolve' | 'hand_back' | 'reopen';

/**
 * The conversation life cycle, in one table: bot → waiting → agent → resolved (→ bot).
 * Anything not listed is refused, so a stale click in the console cannot, say, resolve a chat twice.
 */
const TRANSITIONS: Record<ConversationStatus, Partial<Record<HandoffEvent, ConversationStatus>>> = {
  bot: { request: 'waiting' },
  // hand_back from waiting: the shopper left a ticket or gave up waiting.
  waiting: { assign: 'agent', hand_back: 'bot' },
  // A transfer changes the holder, not the status.
  agent: { requeue: 'waiting', resolve: 'resolved', hand_back: 'bot' },
  // A shopper who writes after "resolved" starts over with the bot; asking for a person queues again.
  resolved: { reopen: 'bot', request: 'waiting' },
};

export function nextStatus(from: ConversationStatus, event: HandoffEvent): ConversationStatus | null {
  return TRANSITIONS[from][event] ?? null;
}
