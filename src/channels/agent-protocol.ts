import { z } from 'zod';
import type { CannedAnswer } from '../engine';
import type { Choice } from '../engine/types';
import type { ErrorCode } from '../errors';
import type { AgentActionError, ConsoleViews, EntryTitle } from '../handoff';
import { LANGUAGES } from '../knowledge/types';
import type { Conversation, StoredMessage } from '../store';
import type { Handoff } from '../store';
import { isValidEmail } from '../handoff/ticket-form';
import { parseFrame, type FrameParseResult } from './frames';

/** The one e-mail rule (src/handoff/ticket-form.ts), so every address Atento stores can be shown and written to as-is. */
const shopperEmail = z.string().trim().max(254).refine(isValidEmail, 'not an e-mail address we can write to (name@example.com, no quotes or spaces)');

/** The agent socket's frames (docs/protocol.md, "Agent socket"), validated here like the shopper's. */

const conversationId = z.string().min(1).max(64);
const clientMessageId = z.string().min(1).max(64);
/** The console's search needs this many characters (fewer would match nearly everything). */
export const FIND_QUERY_MIN_CHARS = 2;
/** E-mail bodies run longer than chat lines, but not without bound. */
const ticketText = z.string().trim().min(1).max(10_000);

const agentClientFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('open'), conversationId }).strict(),
  z.object({ type: z.literal('claim'), conversationId }).strict(),
  z.object({ type: z.literal('message'), conversationId, clientMessageId, text: z.string() }).strict(),
  z.object({ type: z.literal('note'), conversationId, clientMessageId, text: z.string() }).strict(),
  z.object({ type: z.literal('typing'), conversationId, isTyping: z.boolean() }).strict(),
  z.object({ type: z.literal('resolve'), conversationId }).strict(),
  z.object({ type: z.literal('hand_back'), conversationId }).strict(),
  z.object({ type: z.literal('transfer'), conversationId, toAgentId: z.string().min(1).max(64) }).strict(),
  z.object({ type: z.literal('search'), query: z.string().max(200), lang: z.enum(LANGUAGES) }).strict(),
  z.object({ type: z.literal('find_conversations'), query: z.string().trim().min(FIND_QUERY_MIN_CHARS).max(100) }).strict(),
  z.object({ type: z.literal('close_ticket'), ticketId: z.number().int().min(1) }).strict(),
  z.object({ type: z.literal('answer_ticket'), ticketId: z.number().int().min(1), text: ticketText }).strict(),
  z.object({ type: z.literal('ticket_email_reply'), ticketId: z.number().int().min(1), text: ticketText }).strict(),
  z
    .object({
      type: z.literal('shopper_details'),
      conversationId,
      name: z.string().trim().min(1).max(80).optional(),
      email: shopperEmail.optional(),
    })
    .strict(),
]);
export type AgentClientFrame = z.infer<typeof agentClientFrame>;
export const AGENT_FRAME_TYPES = agentClientFrame.options.map((option) => option.shape.type.value);

/** Error codes on the agent socket: the shared registry's plus the handoff's refusals. */
export type AgentErrorCode = ErrorCode | AgentActionError;

export const AGENT_ERROR_MESSAGES: Record<AgentActionError, string> = {
  not_found: 'No such conversation, agent or ticket.',
  not_yours: 'This conversation is not assigned to you; claim it first.',
  already_taken: 'Another agent took this conversation first.',
  not_waiting: 'This conversation is not waiting for an agent.',
  agent_offline: 'That agent is not online; transfer to someone who is.',
  email_not_configured: 'E-mail is not configured on this server (ATENTO_SMTP_URL); the ticket stays open.',
  email_failed: 'The mail server did not accept the reply; the ticket stays open. Try again.',
  shopper_verified: "The shop verified this shopper's name and e-mail; they cannot be changed in the console.",
  whatsapp_window_closed:
    'Not sent: the shopper last wrote on WhatsApp more than 24 hours ago, and outside that window WhatsApp only delivers an approved template message. Answer by e-mail instead: if the shopper gave an e-mail, their case is now in Tickets; if not, wait until they write again.',
};

export function parseAgentFrame(raw: string): FrameParseResult<AgentClientFrame> {
  return parseFrame(raw, AGENT_FRAME_TYPES, agentClientFrame);
}

/** A message as agents see it: notes included, with what the bot matched and how sure it was. */
export interface AgentMessage {
  id: number;
  from: StoredMessage['sender'];
  kind: StoredMessage['kind'];
  text: string;
  createdAt: string;
  authorName?: string;
  entryId?: string;
  /** The FAQ's question in the console's language, so agents read "Mi producto llegó dañado…", not "damaged-item". */
  entryTitle?: string;
  action?: string;
  confidence?: number;
  options?: Choice[];
  via?: 'email';
}

export function toAgentMessage(message: StoredMessage, entryTitle: EntryTitle): AgentMessage {
  const out: AgentMessage = { id: message.id, from: message.sender, kind: message.kind, text: message.text, createdAt: message.createdAt };
  if (message.authorName) out.authorName = message.authorName;
  if (message.entryId) out.entryId = message.entryId;
  const title = message.entryId && message.sender === 'bot' ? entryTitle(message.entryId, message.lang ?? undefined) : undefined;
  if (title) out.entryTitle = title;
  if (message.action) out.action = message.action;
  if (message.confidence !== null) out.confidence = Math.round(message.confidence * 1000) / 1000;
  if (message.options.length > 0) out.options = message.options;
  if (message.via) out.via = message.via;
  return out;
}

export type QueueItem = Awaited<ReturnType<ConsoleViews['queue']>>[number];
export type ChatItem = Awaited<ReturnType<ConsoleViews['chatsOf']>>[number];
export type AgentItem = Awaited<ReturnType<ConsoleViews['agents']>>[number];
export type TicketItem = Awaited<ReturnType<ConsoleViews['tickets']>>[number];
export type FoundConversationItem = Awaited<ReturnType<ConsoleViews['found']>>[number];
export type ShopperView = ReturnType<ConsoleViews['shopper']>;
export type PreviousConversation = NonNullable<Awaited<ReturnType<ConsoleViews['transcript']>>>['previous'];

export interface ConversationView {
  conversation: Conversation;
  shopper: ShopperView;
  caseTitle?: string;
  handoff: Handoff | null;
  agentName: string | null;
  messages: AgentMessage[];
  ratings: Array<{ rating: number; comment: string | null; createdAt: string }>;
  previous: PreviousConversation;
}

export type AgentServerFrame =
  | { type: 'welcome'; agent: { id: string; name: string; role: string }; queue: QueueItem[]; chats: ChatItem[]; tickets: TicketItem[]; agents: AgentItem[]; emailConfigured: boolean }
  | { type: 'queue'; items: QueueItem[] }
  | { type: 'chats'; items: ChatItem[] }
  | { type: 'tickets'; items: TicketItem[] }
  | { type: 'agents'; items: AgentItem[] }
  | { type: 'assigned'; conversationId: string }
  | { type: 'released'; conversationId: string; outcome: string }
  | { type: 'presence'; conversationId: string; online: boolean; leftAt: string | null }
  | ({ type: 'conversation' } & ConversationView)
  | { type: 'message'; conversationId: string; message: AgentMessage }
  | { type: 'typing'; conversationId: string; from: 'shopper' | 'agent'; isTyping: boolean; agentName?: string }
  | { type: 'ack'; clientMessageId: string; messageId: number }
  | { type: 'search_results'; query: string; results: CannedAnswer[] }
  | { type: 'conversations_found'; query: string; results: FoundConversationItem[] }
  | { type: 'ok'; request: string; conversationId?: string; ticketId?: number }
  | { type: 'error'; code: AgentErrorCode; message: string; clientMessageId?: string; ticketId?: number };
