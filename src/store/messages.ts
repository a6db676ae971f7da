import type { Action, Choice } from '../engine/types';
import type { Lang } from '../knowledge/types';
import type { Db } from './database';

export type Sender = 'shopper' | 'bot' | 'agent' | 'system';
/** text: part of the conversation; note: an agent's private note, never shown to the shopper. */
export type MessageKind = 'text' | 'note';

export interface NewMessage {
  conversationId: string;
  sender: Sender;
  kind?: MessageKind;
  text: string;
  lang?: Lang | null;
  normalized?: string | null;
  entryId?: string | null;
  action?: Action | null;
  confidence?: number | null;
  options?: Choice[];
  related?: Choice[];
  replyTo?: number | null;
  authorName?: string | null;
  clientMessageId?: string | null;
  via?: 'email' | null;
}

export interface StoredMessage {
  id: number;
  conversationId: string;
  sender: Sender;
  kind: MessageKind;
  text: string;
  lang: Lang | null;
  entryId: string | null;
  action: Action | null;
  confidence: number | null;
  options: Choice[];
  related: Choice[];
  replyTo: number | null;
  authorName: string | null;
  clientMessageId: string | null;
  /** 'email': went out, or came in, by e-mail (ticket replies); null: the chat. */
  via: 'email' | null;
  createdAt: string;
}

export interface MessageRow {
  id: number;
  conversation_id: string;
  sender: Sender;
  kind: MessageKind;
  text: string;
  lang: Lang | null;
  entry_id: string | null;
  action: Action | null;
  confidence: number | null;
  choices: string | null;
  reply_to: number | null;
  author_name: string | null;
  client_message_id: string | null;
  via: 'email' | null;
  created_at: string;
}

const COLUMNS =
  'id, conversation_id, sender, kind, text, lang, entry_id, action, confidence, choices, reply_to, author_name, client_message_id, via, created_at';
/** Resuming a very long conversation sends at most this many messages (the latest ones). */
export const HISTORY_LIMIT = 500;

export type MessageTable = ReturnType<typeof messageTable>;

export function messageTable(db: Db, now: () => string) {
  // Positional parameters: binding 15 named ones from an object costs a property lookup each, per insert.
  const insert = db.prepare<InsertValues>(
    `INSERT INTO messages (conversation_id, sender, kind, text, lang, normalized, entry_id, action, confidence, choices, reply_to, author_name, client_message_id, via, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const byId = db.prepare<[number], MessageRow>(`SELECT ${COLUMNS} FROM messages WHERE id = ?`);
  const byClientId = db.prepare<[string, string], MessageRow>(
    `SELECT ${COLUMNS} FROM messages WHERE conversation_id = ? AND client_message_id = ?`,
  );
  const after = db.prepare<[string, number, number], MessageRow>(
    `SELECT * FROM (SELECT ${COLUMNS} FROM messages WHERE conversation_id = ? AND id > ? ORDER BY id DESC LIMIT ?) ORDER BY id`,
  );
  const lastFromShopper = db.prepare<[string], { created_at: string }>(
    "SELECT created_at FROM messages WHERE conversation_id = ? AND sender = 'shopper' AND via IS NULL ORDER BY id DESC LIMIT 1",
  );
  const lastShown = db.prepare<[string], MessageRow>(
    `SELECT ${COLUMNS} FROM messages WHERE conversation_id = ? AND sender != 'shopper' AND kind = 'text' ORDER BY id DESC LIMIT 1`,
  );
  const touch = db.prepare<[string, string]>('UPDATE conversations SET updated_at = ? WHERE id = ?');

  return {
    /** The reads of one conversation's messages, for tests that check their query plans. */
    statements: { byClientId, after, lastFromShopper, lastShown },
    /**
     * Stores a message and returns it with its id (the resume cursor), built from what was written
     * rather than read back. A bot reply does not touch the conversation's `updated_at`: the question it
     * answers did, a moment before (one write per turn instead of two).
     */
    insert(message: NewMessage): StoredMessage {
      const stored = withDefaults(message, now());
      const result = insert.run(...insertValues(message, stored));
      if (touchesConversation(stored)) touch.run(stored.createdAt, stored.conversationId);
      return { id: Number(result.lastInsertRowid), ...stored };
    },
    get(id: number): StoredMessage | undefined {
      const row = byId.get(id);
      return row && toMessage(row);
    },
    /** The message a client already sent with this id (a retry after a lost ack). */
    findByClientId(conversationId: string, clientMessageId: string): StoredMessage | undefined {
      const row = byClientId.get(conversationId, clientMessageId);
      return row && toMessage(row);
    },
    /** The latest message the shopper was shown (bot, agent or system; notes never), e.g. to read a typed option number. */
    lastShown(conversationId: string): StoredMessage | undefined {
      const row = lastShown.get(conversationId);
      return row && toMessage(row);
    },
    /** When the shopper last wrote in the chat (not by e-mail), or null. */
    lastShopperAt(conversationId: string): string | null {
      return lastFromShopper.get(conversationId)?.created_at ?? null;
    },
    /** Messages after the cursor, oldest first, notes included (callers filter by audience). */
    listAfter(conversationId: string, afterId = 0, limit = HISTORY_LIMIT): StoredMessage[] {
      return after.all(conversationId, afterId, limit).map(toMessage);
    },
  };
}

/** The values of a messages INSERT, in its columns' order (both backends'). */
export function insertValues(message: NewMessage, stored: Omit<StoredMessage, 'id'>): InsertValues {
  const hasChoices = stored.options.length + stored.related.length > 0;
  return [
    stored.conversationId,
    stored.sender,
    stored.kind,
    stored.text,
    stored.lang,
    message.normalized ?? null,
    stored.entryId,
    stored.action,
    stored.confidence,
    hasChoices ? JSON.stringify({ options: stored.options, related: stored.related }) : null,
    stored.replyTo,
    stored.authorName,
    stored.clientMessageId,
    stored.via,
    stored.createdAt,
  ];
}

type InsertValues = [string, Sender, MessageKind, string, Lang | null, string | null, string | null, Action | null, number | null, string | null, number | null, string | null, string | null, 'email' | null, string];

/** A bot reply does not touch the conversation's `updated_at`: the question it answers did, a moment before. */
export function touchesConversation(stored: Omit<StoredMessage, 'id'>): boolean {
  return !(stored.sender === 'bot' && stored.replyTo !== null);
}

/** The message as stored: every field a writer may leave out, filled in. */
export function withDefaults(message: NewMessage, createdAt: string): Omit<StoredMessage, 'id'> {
  return {
    conversationId: message.conversationId,
    sender: message.sender,
    kind: message.kind ?? 'text',
    text: message.text,
    lang: message.lang ?? null,
    entryId: message.entryId ?? null,
    action: message.action ?? null,
    confidence: message.confidence ?? null,
    options: message.options ?? [],
    related: message.related ?? [],
    replyTo: message.replyTo ?? null,
    authorName: message.authorName ?? null,
    clientMessageId: message.clientMessageId ?? null,
    via: message.via ?? null,
    createdAt,
  };
}

export function toMessage(row: MessageRow): StoredMessage {
  const choices = row.choices ? (JSON.parse(row.choices) as { options: Choice[]; related: Choice[] }) : { options: [], related: [] };
  return {
    id: row.id,
    conversationId: row.conversation_id,
    sender: row.sender,
    kind: row.kind,
    text: row.text,
    lang: row.lang,
    entryId: row.entry_id,
    action: row.action,
    confidence: row.confidence,
    options: choices.options,
    related: choices.related,
    replyTo: row.reply_to,
    authorName: row.author_name,
    clientMessageId: row.client_message_id,
    via: row.via,
    createdAt: row.created_at,
  };
}
