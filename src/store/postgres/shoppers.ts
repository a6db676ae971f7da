import { createHash } from 'node:crypto';
import type { ShopperKey } from '../shoppers';
import type { ShopperStore } from '../types';
import type { Db, Sql } from './pool';

const BY_EMAIL = `SELECT id FROM conversations WHERE shopper_email = $1
  UNION SELECT conversation_id FROM tickets WHERE email = $1
  UNION SELECT id FROM conversations WHERE shopper_id IN (SELECT shopper_id FROM conversations WHERE shopper_email = $1 AND shopper_id IS NOT NULL)`;
const BY_CHANNEL = 'SELECT id FROM conversations WHERE channel = $1 AND channel_user = $2';

/** What hangs from a conversation, table by table, in the order rows were written. */
const PARTS = {
  conversation: 'SELECT * FROM conversations WHERE id = $1',
  messages: 'SELECT * FROM messages WHERE conversation_id = $1 ORDER BY id',
  feedback: 'SELECT * FROM feedback WHERE conversation_id = $1 ORDER BY message_id',
  handoffs: 'SELECT * FROM handoffs WHERE conversation_id = $1 ORDER BY id',
  tickets: 'SELECT * FROM tickets WHERE conversation_id = $1 ORDER BY id',
  csat: 'SELECT * FROM csat WHERE conversation_id = $1 ORDER BY request_id',
};

/** Children first, for the foreign keys. */
const ERASE = [
  'DELETE FROM csat WHERE conversation_id = ANY($1::text[])',
  'DELETE FROM feedback WHERE conversation_id = ANY($1::text[])',
  'DELETE FROM handoffs WHERE conversation_id = ANY($1::text[])',
  'DELETE FROM tickets WHERE conversation_id = ANY($1::text[])',
  // dialog state keys name the conversation
  "DELETE FROM dialog_state WHERE key LIKE ANY (SELECT '%' || id || '%' FROM unnest($1::text[]) AS conversation (id))",
  'DELETE FROM messages WHERE conversation_id = ANY($1::text[])',
  'DELETE FROM conversations WHERE id = ANY($1::text[])',
];

const normalizedKey = (key: ShopperKey) => (typeof key === 'string' ? key.trim().toLowerCase() : `${key.channel}:${key.user.trim()}`);

async function idsOf(sql: Sql, key: ShopperKey): Promise<string[]> {
  const [text, params] = typeof key === 'string' ? [BY_EMAIL, [normalizedKey(key)]] : [BY_CHANNEL, [key.channel, key.user.trim()]];
  return (await sql.query<{ id: string }>(text, params)).rows.map((row) => row.id);
}

/** The right to see and the right to erase what Atento keeps about a shopper. */
export function shopperStore(db: Db, pool: Sql): ShopperStore {
  return {
    async export(key) {
      const conversations = await Promise.all(
        (await idsOf(pool, key)).map(async (id) => {
          const [[conversation], messages, feedback, handoffs, tickets, csat] = await Promise.all(
            [PARTS.conversation, PARTS.messages, PARTS.feedback, PARTS.handoffs, PARTS.tickets, PARTS.csat].map((text) => db.rows<Record<string, unknown>>(text, [id])),
          );
          return { conversation: conversation!, messages: messages!, feedback: feedback!, handoffs: handoffs!, tickets: tickets!, csat: csat! };
        }),
      );
      return { email: normalizedKey(key), conversations };
    },
    forget: (key) =>
      db.transaction(async (client) => {
        const ids = await idsOf(client, key);
        const counts = await client.query<{ messages: number; tickets: number }>(
          `SELECT (SELECT count(*) FROM messages WHERE conversation_id = ANY($1::text[])) AS messages,
                  (SELECT count(*) FROM tickets WHERE conversation_id = ANY($1::text[])) AS tickets`,
          [ids],
        );
        for (const statement of ERASE) await client.query(statement, [ids]);
        return {
          shopper: `#${createHash('sha256').update(normalizedKey(key)).digest('hex').slice(0, 12)}`,
          conversations: ids.length,
          messages: counts.rows[0]!.messages,
          tickets: counts.rows[0]!.tickets,
        };
      }),
  };
}
