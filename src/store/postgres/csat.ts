import type { CsatStore } from '../types';
import type { Db } from './pool';
import { toRating, type CsatRow } from '../csat';

export function csatStore(db: Db, now: () => string): CsatStore {
  return {
    async record(rating) {
      // Rated: the agent who last held the chat, else the one who answered its ticket by e-mail.
      const { rows } = await db.write<CsatRow>(
        `INSERT INTO csat (request_id, conversation_id, agent_id, rating, comment, created_at) VALUES ($1, $2,
           coalesce((SELECT agent_id FROM handoffs WHERE conversation_id = $2 AND agent_id IS NOT NULL ORDER BY id DESC LIMIT 1),
                    (SELECT answered_by FROM tickets WHERE conversation_id = $2 AND answered_by IS NOT NULL ORDER BY answered_at DESC LIMIT 1)),
           $3, $4, $5)
         ON CONFLICT (request_id) DO UPDATE SET rating = excluded.rating, comment = excluded.comment, created_at = excluded.created_at
         RETURNING *`,
        [rating.requestId, rating.conversationId, rating.rating, rating.comment, now()],
      );
      return toRating(rows[0]!);
    },
    async ofConversation(conversationId) {
      return (await db.rows<CsatRow>('SELECT * FROM csat WHERE conversation_id = $1 ORDER BY request_id', [conversationId])).map(toRating);
    },
  };
}
