import { z } from 'zod';
import type { Choice } from '../engine/types';
import type { ErrorCode } from '../errors';
import { LANGUAGES, type Lang } from '../knowledge/types';
import type { ConversationStatus, StoredMessage } from '../store';
import { parseFrame, type FrameParseResult } from './frames';

/**
 * The shopper socket's frames (docs/protocol.md). Every incoming frame is parsed here; nothing
 * past this file sees unvalidated client data.
 */

const clientMessageId = z.string().min(1).max(64);

export const helloFrame = z
  .object({
    type: z.literal('hello'),
    token: z.string().min(1).max(1024).optional(),
    lastSeenId: z.number().int().min(0).optional(),
    lang: z.enum(LANGUAGES).optional(),
    page: z.string().max(2048).optional(),
  })
  .strict();

const messageFrame = z.object({ type: z.literal('message'), clientMessageId, text: z.string() }).strict();
const choiceFrame = z.object({ type: z.literal('choice'), clientMessageId, id: z.string().min(1).max(200) }).strict();
const feedbackFrame = z.object({ type: z.literal('feedback'), messageId: z.number().int().min(1), helpful: z.boolean() }).strict();
const typingFrame = z.object({ type: z.literal('typing'), isTyping: z.boolean() }).strict();
const handoffRequestFrame = z.object({ type: z.literal('handoff_request') }).strict();

const clientFrame = z.discriminatedUnion('type', [helloFrame, messageFrame, choiceFrame, feedbackFrame, typingFrame, handoffRequestFrame]);
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
  confidence?: number;
  options?: Choice[];
  related?: Choice[];
  /** The agent's display name. */
  authorName?: string;
  /** Echoed on the shopper's own messages so every tab can de-duplicate. */
  clientMessageId?: string;
  /** A ticket reply sent to the shopper by e-mail, or their e-mail answer added by an agent. */
  via?: 'email';
}

export type ServerFrame =
  | WelcomeFrame
  | MessageOut
  | { type: 'ack'; clientMessageId: string; messageId: number }
  | { type: 'feedback_saved'; messageId: number; helpful: boolean }
  | { type: 'status'; state: ConversationStatus; position?: number; etaSeconds?: number; agentName?: string }
  | { type: 'typing'; from: 'bot' | 'agent'; isTyping: boolean; agentName?: string }
  | { type: 'error'; code: ErrorCode; message: string; clientMessageId?: string };

/** A stored message as the shopper sees it (callers never pass notes). */
export function toMessageFrame(message: StoredMessage): MessageOut {
  const frame: MessageOut = { type: 'message', id: message.id, from: message.sender, text: message.text, createdAt: message.createdAt };
  if (message.action) frame.action = message.action;
  if (message.entryId) frame.entryId = message.entryId;
  if (message.confidence !== null) frame.confidence = Math.round(message.confidence * 1000) / 1000;
  if (message.options.length > 0) frame.options = message.options;
  if (message.related.length > 0) frame.related = message.related;
  if (message.authorName) frame.authorName = message.authorName;
  if (message.via) frame.via = message.via;
  // Only the shopper's own ids: an agent's id would let a shopper's tab mistake it for one of theirs.
  if (message.sender === 'shopper' && message.clientMessageId) frame.clientMessageId = message.clientMessageId;
  return frame;
}
