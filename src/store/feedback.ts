import type { Db } from './database';

export interface Feedback {
  messageId: number;
  conversationId: string;
  helpful: boolean;
  createdAt: string;
  updatedAt: string;
}

interface FeedbackRow {
  message_id: number;
  conversation_id: string;
  helpful: 0 | 1;
  created_at: string;
  updated_at: string;
}

export type FeedbackTable = ReturnType<typeof feedbackTable>;

export function feedbackTable(db: Db, now: () => string) {
  // A shopper may change their mind: the latest thumb wins, the first time is kept.
  const upsert = db.prepare<[number, string, number, string, string]>(
    `INSERT INTO feedback (message_id, conversation_id, helpful, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (message_id) DO UPDATE SET helpful = excluded.helpful, updated_at = excluded.updated_at`,
  );
  const byMessage = db.prepare<[number], FeedbackRow>('SELECT * FROM feedback WHERE message_id = ?');
  const votes = db.prepare<[string], Pick<FeedbackRow, 'message_id' | 'helpful'>>(
    'SELECT message_id, helpful FROM feedback WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY message_id',
  );

  return {
    record(messageId: number, conversationId: string, helpful: boolean): void {
      const at = now();
      upsert.run(messageId, conversationId, helpful ? 1 : 0, at, at);
    },
    get(messageId: number): Feedback | undefined {
      const row = byMessage.get(messageId);
      return (
        row && {
          messageId: row.message_id,
          conversationId: row.conversation_id,
          helpful: row.helpful === 1,
          createdAt: row.created_at,
          updatedAt: row.updated_at,
        }
      );
    },
    votesOn(messageIds: readonly number[]): Array<{ messageId: number; helpful: boolean }> {
      if (messageIds.length === 0) return [];
      return votes.all(JSON.stringify(messageIds)).map((row) => ({ messageId: row.message_id, helpful: row.helpful === 1 }));
    },
  };
}
