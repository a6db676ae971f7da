import crypto from 'node:crypto';
import type { Lang } from '../knowledge/types';
import type { Db } from './database';
import type { StatusChange } from './types';

/**
 * Name and e-mail given in the chat (the leave-a-message form, an agent): on a conversation of a verified
 * shopper they only fill what the shop left empty, so the console's "verified" never covers typed details.
 */
const SET_SHOPPER_SQL = `UPDATE conversations SET
  shopper_name = CASE WHEN shopper_id IS NULL THEN coalesce(@name, shopper_name) ELSE coalesce(shopper_name, @name) END,
  shopper_email = CASE WHEN shopper_id IS NULL THEN coalesce(@email, shopper_email) ELSE coalesce(shopper_email, @email) END,
  updated_at = @at WHERE id = @id`;

/** Where the shopper writes from: the web widget, or a messaging app through its provider. */
export const CHANNELS = ['web', 'whatsapp', 'messenger'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CONVERSATION_STATUSES = ['bot', 'waiting', 'agent', 'resolved'] as const;
/** bot → waiting (for a person) → agent → resolved; an agent may hand it back to bot. */
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export interface Conversation {
  id: string;
  status: ConversationStatus;
  lang: Lang;
  shopperName: string | null;
  shopperEmail: string | null;
  /** The shop's user id, when the shop's page vouched for it with a valid hash; null for visitors. */
  shopperId: string | null;
  page: string | null;
  channel: Channel;
  /** The shopper's address on a messaging channel (a WhatsApp number, a Messenger id); null on the web. */
  channelUser: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ConversationRow {
  id: string;
  status: ConversationStatus;
  lang: Lang;
  shopper_name: string | null;
  shopper_email: string | null;
  shopper_id: string | null;
  page: string | null;
  channel: Channel;
  channel_user: string | null;
  created_at: string;
  updated_at: string;
}

/** A shop user whose id the shop's page signed (src/session/identity.ts). */
export interface VerifiedShopper {
  id: string;
  name?: string;
  email?: string;
}

export type ConversationTable = ReturnType<typeof conversationTable>;

/** A conversation read as an array (better-sqlite3's raw mode), in BY_ID_COLUMNS' order. */
type ConversationTuple = [
  string,
  ConversationStatus,
  Lang,
  string | null,
  string | null,
  string | null,
  string | null,
  Channel,
  string | null,
  string,
  string,
];
const BY_ID_COLUMNS = 'id, status, lang, shopper_name, shopper_email, shopper_id, page, channel, channel_user, created_at, updated_at';

export function conversationTable(db: Db, now: () => string) {
  const insert = db.prepare<[string, Lang, string | null, string, string]>(
    'INSERT INTO conversations (id, status, lang, page, created_at, updated_at) VALUES (?, \'bot\', ?, ?, ?, ?)',
  );
  const insertOnChannel = db.prepare<[string, Lang, Channel, string, string, string]>(
    "INSERT INTO conversations (id, status, lang, channel, channel_user, created_at, updated_at) VALUES (?, 'bot', ?, ?, ?, ?, ?)",
  );
  const latestOnChannel = db.prepare<[Channel, string], ConversationRow>(
    'SELECT * FROM conversations WHERE channel = ? AND channel_user = ? ORDER BY updated_at DESC LIMIT 1',
  );
  // Read several times per shopper turn: as an array, better-sqlite3 skips building a row object that
  // toConversation would only copy (about a fifth of the call).
  const byId = db.prepare<[string], ConversationTuple>(`SELECT ${BY_ID_COLUMNS} FROM conversations WHERE id = ?`).raw();
  const changeStatus = db.prepare<[ConversationStatus, string, string, ConversationStatus]>(
    'UPDATE conversations SET status = ?, updated_at = ? WHERE id = ? AND status = ?',
  );
  const setLang = db.prepare<[Lang, string, string]>('UPDATE conversations SET lang = ?, updated_at = ? WHERE id = ?');
  const setPage = db.prepare<[string, string]>('UPDATE conversations SET page = ? WHERE id = ?');
  const latestOfShopper = db.prepare<[string, string], ConversationRow>(
    'SELECT * FROM conversations WHERE shopper_id = ? AND updated_at >= ? ORDER BY updated_at DESC LIMIT 1',
  );
  const setIdentity = db.prepare<[string, string | null, string | null, string, string]>(
    'UPDATE conversations SET shopper_id = ?, shopper_name = coalesce(?, shopper_name), shopper_email = coalesce(?, shopper_email), updated_at = ? WHERE id = ?',
  );
  const setShopper = db.prepare<[{ name: string | null; email: string | null; at: string; id: string }]>(SET_SHOPPER_SQL);

  return {
    /** Ids are random (122 bits): unguessable, though only the signed token ever grants access. */
    create(lang: Lang, page: string | null = null): Conversation {
      const id = crypto.randomUUID();
      const at = now();
      insert.run(id, lang, page, at, at);
      return fromTuple(byId.get(id)!);
    },
    /** A conversation with a shopper on a messaging channel, who is known by their address there. */
    createOnChannel(channel: Exclude<Channel, 'web'>, channelUser: string, lang: Lang): Conversation {
      const id = crypto.randomUUID();
      const at = now();
      insertOnChannel.run(id, lang, channel, channelUser, at, at);
      return fromTuple(byId.get(id)!);
    },
    /** The shopper's latest conversation on that channel: a WhatsApp chat goes on for as long as the shopper writes. */
    latestOnChannel(channel: Exclude<Channel, 'web'>, channelUser: string): Conversation | undefined {
      const row = latestOnChannel.get(channel, channelUser);
      return row && toConversation(row);
    },
    get(id: string): Conversation | undefined {
      const row = byId.get(id);
      return row && fromTuple(row);
    },
    changeStatus(id: string, change: StatusChange): boolean {
      return changeStatus.run(change.to, now(), id, change.from).changes === 1;
    },
    setLang(id: string, lang: Lang): void {
      setLang.run(lang, now(), id);
    },
    setPage(id: string, page: string): void {
      setPage.run(page, id);
    },
    /**
     * The verified shopper's most recent conversation, from any device, if it moved in the last
     * `maxAgeSeconds` (older ones are history, as for a visitor whose token expired).
     */
    latestOfShopper(shopperId: string, maxAgeSeconds: number): Conversation | undefined {
      const since = new Date(Date.parse(now()) - maxAgeSeconds * 1000).toISOString();
      const row = latestOfShopper.get(shopperId, since);
      return row && toConversation(row);
    },
    /** Links a conversation to a verified shopper; the name and e-mail the shop vouches for replace typed ones. */
    setIdentity(id: string, identity: VerifiedShopper): void {
      setIdentity.run(identity.id, identity.name ?? null, identity.email ?? null, now(), id);
    },
    setShopper(id: string, details: { name?: string; email?: string }): void {
      setShopper.run({ name: details.name ?? null, email: details.email ?? null, at: now(), id });
    },
  };
}

function fromTuple([id, status, lang, shopperName, shopperEmail, shopperId, page, channel, channelUser, createdAt, updatedAt]: ConversationTuple): Conversation {
  return { id, status, lang, shopperName, shopperEmail, shopperId, page, channel, channelUser, createdAt, updatedAt };
}

export function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    status: row.status,
    lang: row.lang,
    shopperName: row.shopper_name,
    shopperEmail: row.shopper_email,
    shopperId: row.shopper_id,
    page: row.page,
    channel: row.channel,
    channelUser: row.channel_user,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
