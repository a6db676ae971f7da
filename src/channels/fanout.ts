import { z } from 'zod';
import type { Bus } from '../bus';
import type { AtentoEvents, EventBus } from '../events';
import type { AgentUpdate, HandoffService } from '../handoff';
import { LANGUAGES } from '../knowledge/types';
import { CONVERSATION_STATUSES } from '../store/conversations';
import type { StoredMessage } from '../store';

/**
 * What the gateways deliver to their sockets, through the bus (docs/deployment.md, "Redis"): a socket gets
 * the same frames whichever node stored the message or changed the status. Two topics:
 * - `conversation`: a conversation's messages, status changes and typing (the shopper's tabs, the consoles
 *   that have it open);
 * - `agents`: the console updates of the handoff service (queue, chats, assigned, …).
 * The node that publishes delivers to its own sockets at once and in process, the payload passed by
 * reference (one node pays no serialization); other nodes get it through Redis, checked by these schemas.
 * Only what reaches sockets crosses nodes: the in-process events stay local (metrics, the WhatsApp and
 * Messenger senders, which must send a reply once, from the node that stored it).
 */

export const CONVERSATION_TOPIC = 'conversation';
export const AGENTS_TOPIC = 'agents';

export type ConversationEvent =
  | { type: 'message'; message: StoredMessage }
  | ({ type: 'status' } & AtentoEvents['conversation.status_changed'])
  | ({ type: 'typing' } & AtentoEvents['conversation.typing']);

const choice = z.object({ id: z.string(), label: z.string() });
const nullable = <T extends z.ZodType>(schema: T) => schema.nullable();

const storedMessage = z.object({
  id: z.number().int(),
  conversationId: z.string(),
  sender: z.enum(['shopper', 'bot', 'agent', 'system']),
  kind: z.enum(['text', 'note']),
  text: z.string(),
  lang: nullable(z.enum(LANGUAGES)),
  entryId: nullable(z.string()),
  action: nullable(z.enum(['answer', 'clarify', 'escalate', 'fallback'])),
  confidence: nullable(z.number()),
  options: z.array(choice),
  related: z.array(choice),
  replyTo: nullable(z.number().int()),
  authorName: nullable(z.string()),
  clientMessageId: nullable(z.string()),
  via: nullable(z.literal('email')),
  createdAt: z.string(),
});

export const conversationEventSchema: z.ZodType<ConversationEvent> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message'), message: storedMessage }),
  z.object({
    type: z.literal('status'),
    conversationId: z.string(),
    status: z.enum(CONVERSATION_STATUSES),
    agentsAvailable: z.boolean().optional(),
    position: z.number().int().optional(),
    etaSeconds: z.number().optional(),
    agentName: z.string().optional(),
  }),
  z.object({
    type: z.literal('typing'),
    conversationId: z.string(),
    from: z.enum(['shopper', 'agent']),
    isTyping: z.boolean(),
    agentName: z.string().optional(),
    agentId: z.string().optional(),
  }),
]);

const agentChat = { agentId: z.string(), conversationId: z.string() };
export const agentUpdateSchema: z.ZodType<AgentUpdate> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('queue') }),
  z.object({ type: z.literal('tickets') }),
  z.object({ type: z.literal('agents') }),
  z.object({ type: z.literal('chats'), agentId: z.string() }),
  z.object({ type: z.literal('assigned'), ...agentChat }),
  z.object({ type: z.literal('released'), ...agentChat, outcome: z.enum(['resolved', 'handed_back', 'ticket', 'requeued', 'transferred']) }),
  z.object({ type: z.literal('rated'), ...agentChat }),
  z.object({ type: z.literal('presence'), conversationId: z.string(), node: z.string().optional(), online: z.boolean(), leftAt: z.string().nullable() }),
]);

/**
 * Publishes what this node's services announce on the bus topics; returns a function that stops. Called
 * once per node (src/app.ts), before the gateways subscribe.
 */
export function publishToBus(bus: Bus, events: EventBus, handoff: HandoffService): () => void {
  // On PostgreSQL (the only store several nodes share) a write resolves after its commit: what goes to
  // other nodes is already durable. Sockets on this node still wait for the commit (group commit on SQLite).
  const off = [
    events.on('message.created', ({ message }) => bus.publish(CONVERSATION_TOPIC, { type: 'message', message } satisfies ConversationEvent)),
    events.on('conversation.status_changed', (change) => bus.publish(CONVERSATION_TOPIC, { type: 'status', ...change } satisfies ConversationEvent)),
    events.on('conversation.typing', (typing) => bus.publish(CONVERSATION_TOPIC, { type: 'typing', ...typing } satisfies ConversationEvent)),
    handoff.subscribe((update) => bus.publish(AGENTS_TOPIC, update)),
  ];
  return () => off.forEach((stop) => stop());
}
