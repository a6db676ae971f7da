import { HISTORY_LIMIT, insertValues, toMessage, touchesConversation, withDefaults, type MessageRow, type NewMessage, type StoredMessage } from '../messages';
import type { MessageStore } from '../types';
import { prepared, type Db, type Sql } from './pool';

const COLUMNS =
  'id, conversation_id, sender, kind, text, lang, entry_id, action, confidence, choices, reply_to, author_name, client_message_id, via, created_at';

/**
 * Ids are the resume cursor ("send me what came after 41"), so within one conversation they must grow in
 * commit order: with several writers, a message that took id 41 but committed after 42 would be skipped by a
 * client that had already read 42. The INSERT therefore draws its id only after locking the conversation's row
 * (the `updated_at` touch, or a plain row lock for a bot reply, which does not touch it), and that lock is held
 * until the commit: one statement, one round trip.
 */
const insertAfter = (lockConversation: string) => `
  WITH conversation AS (${lockConversation})
  INSERT INTO messages (conversation_id, sender, kind, text, lang, normalized, entry_id, action, confidence, choices, reply_to, author_name, client_message_id, via, created_at)
  SELECT id, $2, $3, $4, $5, $6, $7, $8, $9::double precision, $10, $11::bigint, $12, $13, $14, $15::timestamptz FROM conversation
  ON CONFLICT (conversation_id, client_message_id) DO NOTHING
  RETURNING id`;
const INSERT_TOUCHING = insertAfter('UPDATE conversations SET updated_at = $15::timestamptz WHERE id = $1 RETURNING id');
const INSERT_REPLY = insertAfter('SELECT id FROM conversations WHERE id = $1 FOR NO KEY UPDATE');

/** Stores one message on `sql` (the pool, or a transaction's client); the row is built from what was written. */
export async function insertMessage(sql: Sql, message: NewMessage, createdAt: string): Promise<StoredMessage> {
  const stored = withDefaults(message, createdAt);
  const result = await sql.query<{ id: number }>(prepared(touchesConversation(stored) ? INSERT_TOUCHING : INSERT_REPLY, insertValues(message, stored)));
  const row = result.rows[0];
  // A refused duplicate fails here rather than in the group's transaction, which would roll back its neighbours.
  if (!row && stored.clientMessageId !== null) {
    throw new Error(`messages.insert: no conversation "${stored.conversationId}", or it already has a message with client id "${stored.clientMessageId}"`);
  }
  if (!row) throw new Error(`messages.insert: no conversation "${stored.conversationId}" (foreign key)`);
  return { id: row.id, ...stored };
}

export function messageStore(db: Db, now: () => string): MessageStore {
  const latestInsert = new Map<string, Promise<void>>();
  const one = async (text: string, params: unknown[]) => {
    const [row] = await db.rows<MessageRow>(text, params);
    return row && toMessage(row);
  };
  return {
    insert(message) {
      const createdAt = now();
      const conversationId = message.conversationId;
      // One conversation's messages are stored in the order this node was given them, as on SQLite: each
      // waits for the one before it (other conversations' messages still share group commits).
      const previous = latestInsert.get(conversationId);
      const insert = (sql: Sql) => insertMessage(sql, message, createdAt);
      const stored = previous ? db.pending(previous.then(() => db.grouped(insert))) : db.grouped(insert);
      const settled = stored.then(
        () => undefined,
        () => undefined,
      );
      latestInsert.set(conversationId, settled);
      void settled.then(() => {
        if (latestInsert.get(conversationId) === settled) latestInsert.delete(conversationId);
      });
      return stored;
    },
    get: (id) => one(`SELECT ${COLUMNS} FROM messages WHERE id = $1`, [id]),
    findByClientId: (conversationId, clientMessageId) =>
      one(`SELECT ${COLUMNS} FROM messages WHERE conversation_id = $1 AND client_message_id = $2`, [conversationId, clientMessageId]),
    lastShown: (conversationId) =>
      one(`SELECT ${COLUMNS} FROM messages WHERE conversation_id = $1 AND sender <> 'shopper' AND kind = 'text' ORDER BY id DESC LIMIT 1`, [conversationId]),
    async lastShopperAt(conversationId) {
      const [row] = await db.rows<{ created_at: string }>(
        "SELECT created_at FROM messages WHERE conversation_id = $1 AND sender = 'shopper' AND via IS NULL ORDER BY id DESC LIMIT 1",
        [conversationId],
      );
      return row?.created_at ?? null;
    },
    async listAfter(conversationId, afterId = 0, limit = HISTORY_LIMIT) {
      const rows = await db.rows<MessageRow>(
        `SELECT * FROM (SELECT ${COLUMNS} FROM messages WHERE conversation_id = $1 AND id > $2 ORDER BY id DESC LIMIT $3) latest ORDER BY id`,
        [conversationId, afterId, limit],
      );
      return rows.map(toMessage);
    },
  };
}
