import { z } from 'zod';
import type { Choice } from '../engine/types';
import type { ErrorCode } from '../errors';
import { LANGUAGES, type Lang } from '../knowledge/types';
import type { ConversationStatus, StoredMessage, VerifiedShopper } from '../store';
import { isValidEmail } from '../handoff/ticket-form';
import { parseFrame, type FrameParseResult } from './frames';

/** The one e-mail rule (src/handoff/ticket-form.ts), so every address Atento stores can be shown and written to as-is. */
const shopperEmail = z.string().trim().max(254).refine(isValidEmail, 'not an e-mail address we can write to (name@example.com, no quotes or spaces)');

/**
 * The shopper socket's frames (docs/protocol.md). Every incoming frame is parsed here; nothing
 * past this file sees unvalidated client data.
 */

const clientMessageId = z.string().min(1).max(64);

const shopperClaim = z
  .object({
    id: z.string().trim().min(1).max(128),
    hash: z.string().regex(/^[0-9a-f]{64}$/i, 'the hex HMAC-SHA256 of the user id, e-mail and name'),
    // As the page wrote them, since that is what the hash signs; `usableDetails` keeps the good ones once it verifies.
    // Longer than any real one, yet bounded: a signed name too long to keep must not void the identity.
    email: z.string().max(1000).optional().catch(undefined),
    name: z.string().max(1000).optional().catch(undefined),
  })
  .strict();

const shopperName = z.string().trim().min(1).max(80);

/** Of a verified shopper's details, what Atento keeps: an e-mail it can write to, a name of at most 80 characters. */
export function usableDetails(shopper: VerifiedShopper): VerifiedShopper {
  const email = shopperEmail.safeParse(shopper.email);
  const name = shopperName.safeParse(shopper.name);
  return { id: shopper.id, ...(name.success && { name: name.data }), ...(email.success && { email: email.data.toLowerCase() }) };
}

export const helloFrame = z
  .object({
    type: z.literal('hello'),
    token: z.string().min(1).max(1024).optional(),
    lastSeenId: z.number().int().min(0).optional(),
    lang: z.enum(LANGUAGES).optional(),
    page: z.string().max(2048).optional(),
    /**
     * The shop's logged-in user, signed by the shop (docs/protocol.md, "Verified shoppers"). A claim that
     * does not even have the right shape is 'malformed' rather than a bad frame: the shop's mistake must
     * not leave its shopper without a chat, so the server answers identity_invalid and goes on anonymous.
     */
    user: z.union([shopperClaim, z.unknown().transform(() => 'malformed' as const)]).optional(),
  })
  .strict();

const messageFrame = z.object({ type: z.literal('message'), clientMessageId, text: z.string() }).strict();
const choiceFrame = z.object({ type: z.literal('choice'), clientMessageId, id: z.string().min(1).max(200) }).strict();
const feedbackFrame = z.object({ type: z.literal('feedback'), messageId: z.number().int().min(1), helpful: z.boolean() }).strict();
const csatFrame = z
  .object({ type: z.literal('csat'), messageId: z.number().int().min(1), rating: z.number().int().min(1).max(5), comment: z.string().trim().max(1000).optional() })
  .strict();
const typingFrame = z.object({ type: z.literal('typing'), isTyping: z.boolean() }).strict();
const handoffRequestFrame = z.object({ type: z.literal('handoff_request') }).strict();

const clientFrame = z.discriminatedUnion('type', [helloFrame, messageFrame, choiceFrame, feedbackFrame, csatFrame, typingFrame, handoffRequestFrame]);
export type ClientFrame = z.infer<typeof clientFrame>;
export const CLIENT_FRAME_TYPES = clientFrame.options.map((option) => option.shape.type.value);

export function parseClientFrame(raw: string): FrameParseResult<ClientFrame> {
  return parseFrame(raw, CLIENT_FRAME_TYPES, clientFrame);
}

export interface WelcomeFrame {
  type: 'welcome';
  token: string;
  conversationId: string;
  lang: Lang;
  greeting: string;
  suggestions: Choice[];
  status: ConversationStatus;
  /** Whether a person could take the chat now (business hours and an agent online); the greeting says so too. */
  agentsAvailable: boolean;
  /** Whether this socket resumed an existing conversation. */
  resumed: boolean;
  maxMessageChars: number;
}

export interface MessageOut {
  type: 'message';
  id: number;
  from: StoredMessage['sender'];
  text: string;
  createdAt: string;
  action?: string;
  entryId?: string;
  /** The kind of entry a bot answer came from: only "faq" answers ask "was this helpful?". */
  entryKind?: 'faq' | 'intent';
  /** The language a bot message is in: the widget's own buttons and texts follow it. */
  lang?: Lang;
  confidence?: number;
  options?: Choice[];
  related?: Choice[];
  /** The agent's display name. */
  authorName?: string;
  /** On the shopper's own messages, so a tab that lost its `ack` can match one with its bubble (the sending socket is not sent it live). */
  clientMessageId?: string;
}

export type ServerFrame =
  | WelcomeFrame
  | MessageOut
  | { type: 'ack'; clientMessageId: string; messageId: number }
  | { type: 'feedback_saved'; messageId: number; helpful: boolean }
  | { type: 'csat_saved'; messageId: number; rating: number }
  | { type: 'status'; state: ConversationStatus; position?: number; etaSeconds?: number; agentName?: string; agentsAvailable?: boolean }
  | { type: 'typing'; from: 'bot' | 'agent'; isTyping: boolean; agentName?: string }
  | { type: 'error'; code: ErrorCode; message: string; clientMessageId?: string; retryAfterMs?: number };

/** A stored message as the shopper sees it (callers never pass notes); `entryKind` looks up what a bot answer came from. */
export function toMessageFrame(message: StoredMessage, entryKind?: (entryId: string, lang: Lang) => 'faq' | 'intent' | undefined): MessageOut {
  const frame: MessageOut = { type: 'message', id: message.id, from: message.sender, text: message.text, createdAt: message.createdAt };
  if (message.action) frame.action = message.action;
  if (message.entryId) frame.entryId = message.entryId;
  const kind = message.entryId && message.lang && message.sender === 'bot' ? entryKind?.(message.entryId, message.lang) : undefined;
  if (kind) frame.entryKind = kind;
  if (message.sender === 'bot' && message.lang) frame.lang = message.lang;
  if (message.confidence !== null) frame.confidence = Math.round(message.confidence * 1000) / 1000;
  if (message.options.length > 0) frame.options = message.options;
  if (message.related.length > 0) frame.related = message.related;
  if (message.authorName) frame.authorName = message.authorName;
  // Only the shopper's own ids: an agent's id would let a shopper's tab mistake it for one of theirs.
  if (message.sender === 'shopper' && message.clientMessageId) frame.clientMessageId = message.clientMessageId;
  return frame;
}
