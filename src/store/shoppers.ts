import { createHash } from 'node:crypto';
import type { Db } from './database';

/**
 * Who to find: an e-mail address (and the verified user ids its chats carry), or an address on a messaging
 * channel (a WhatsApp number "+5215512345678", a Messenger page-scoped id).
 */
export type ShopperKey = string | { channel: 'whatsapp' | 'messenger'; user: string };

/** Everything stored about one shopper. */
export interface ShopperRecord {
  /** The e-mail, or "whatsapp:+52…" / "messenger:<id>". */
  email: string;
  conversations: Array<{
    conversation: Record<string, unknown>;
    messages: Record<string, unknown>[];
    feedback: Record<string, unknown>[];
    handoffs: Record<string, unknown>[];
    tickets: Record<string, unknown>[];
    csat: Record<string, unknown>[];
  }>;
}

export interface ForgetResult {
  /** "#" and 12 hex digits of the e-mail's (or channel address's) SHA-256: something to log that is not personal data. */
  shopper: string;
  conversations: number;
  messages: number;
  tickets: number;
}

export type ShopperTable = ReturnType<typeof shopperTable>;

/** The right to see and the right to erase what Atento keeps about a shopper. */
export function shopperTable(db: Db) {
  const conversationIds = db.prepare<[string, string, string], { id: string }>(
    `SELECT id FROM conversations WHERE shopper_email = ?
     UNION SELECT conversation_id FROM tickets WHERE email = ?
     UNION SELECT id FROM conversations WHERE shopper_id IN (SELECT shopper_id FROM conversations WHERE shopper_email = ? AND shopper_id IS NOT NULL)`,
  );
  const channelConversationIds = db.prepare<[string, string], { id: string }>('SELECT id FROM conversations WHERE channel = ? AND channel_user = ?');
  const rows = (table: string, column: string) => db.prepare<[string], Record<string, unknown>>(`SELECT * FROM ${table} WHERE ${column} = ? ORDER BY rowid`);
  const read = {
    conversation: rows('conversations', 'id'),
    messages: rows('messages', 'conversation_id'),
    feedback: rows('feedback', 'conversation_id'),
    handoffs: rows('handoffs', 'conversation_id'),
    tickets: rows('tickets', 'conversation_id'),
    csat: rows('csat', 'conversation_id'),
  };
  const erase = [
    db.prepare<[string]>('DELETE FROM csat WHERE conversation_id = ?'),
    db.prepare<[string]>('DELETE FROM feedback WHERE conversation_id = ?'),
    db.prepare<[string]>('DELETE FROM handoffs WHERE conversation_id = ?'),
    db.prepare<[string]>('DELETE FROM tickets WHERE conversation_id = ?'),
    db.prepare<[string]>("DELETE FROM dialog_state WHERE key LIKE '%' || ? || '%'"),
    db.prepare<[string]>('DELETE FROM messages WHERE conversation_id = ?'),
    db.prepare<[string]>('DELETE FROM conversations WHERE id = ?'),
  ];
  const normalizedKey = (key: ShopperKey) => (typeof key === 'string' ? key.trim().toLowerCase() : `${key.channel}:${key.user.trim()}`);
  const idsOf = (key: ShopperKey) =>
    (typeof key === 'string' ? conversationIds.all(normalizedKey(key), normalizedKey(key), normalizedKey(key)) : channelConversationIds.all(key.channel, key.user.trim())).map(
      (row) => row.id,
    );

  return {
    export(key: ShopperKey): ShopperRecord {
      return {
        email: normalizedKey(key),
        conversations: idsOf(key).map((id) => ({
          conversation: read.conversation.get(id)!,
          messages: read.messages.all(id),
          feedback: read.feedback.all(id),
          handoffs: read.handoffs.all(id),
          tickets: read.tickets.all(id),
          csat: read.csat.all(id),
        })),
      };
    },
    /** Deletes the shopper's conversations and all that hangs from them, in one transaction. */
    forget(key: ShopperKey): ForgetResult {
      const normalized = normalizedKey(key);
      return db.transaction(() => {
        const ids = idsOf(key);
        let messages = 0;
        let tickets = 0;
        for (const id of ids) {
          messages += read.messages.all(id).length;
          tickets += read.tickets.all(id).length;
          for (const statement of erase) statement.run(id);
        }
        return { shopper: `#${createHash('sha256').update(normalized).digest('hex').slice(0, 12)}`, conversations: ids.length, messages, tickets };
      })();
    },
  };
}
