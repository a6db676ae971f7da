import type { FeedbackStore } from '../types';
import type { Db } from './pool';

interface FeedbackRow {
  message_id: number;
  conversation_id: string;
  helpful: boolean;
  created_at: string;
  updated_at: string;
}

export function feedbackStore(db: Db, now: () => string): FeedbackStore {
  return {
    async record(messageId, conversationId, helpful) {
      const at = now();
      // A shopper may change their mind: the latest thumb wins, the first time is kept.
      await db.write(
        `INSERT INTO feedback (message_id, conversation_id, helpful, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT (message_id) DO UPDATE SET helpful = excluded.helpful, updated_at = excluded.updated_at`,
        [messageId, conversationId, helpful, at],
      );
    },
    async get(messageId) {
      const [row] = await db.rows<FeedbackRow>('SELECT * FROM feedback WHERE message_id = $1', [messageId]);
      return row && { messageId: row.message_id, conversationId: row.conversation_id, helpful: row.helpful, createdAt: row.created_at, updatedAt: row.updated_at };
    },
    async votesOn(messageIds) {
      if (messageIds.length === 0) return [];
      const rows = await db.rows<Pick<FeedbackRow, 'message_id' | 'helpful'>>(
        'SELECT message_id, helpful FROM feedback WHERE message_id = ANY($1::bigint[]) ORDER BY message_id',
        [messageIds],
      );
      return rows.map((row) => ({ messageId: Number(row.message_id), helpful: row.helpful }));
    },
  };
}
