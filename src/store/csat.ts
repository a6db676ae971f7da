import type { Db } from './database';
import type { Migration } from './migrations';

/** Appended to MIGRATIONS: shoppers' ratings of the person who helped them. */
export const CSAT_MIGRATION: Migration = {
  version: 6,
  name: 'csat ratings',
  up: `
    CREATE TABLE csat (
      -- the bot message that asked; one rating per question (a shopper may change it)
      request_id      INTEGER PRIMARY KEY REFERENCES messages (id),
      conversation_id TEXT NOT NULL REFERENCES conversations (id),
      agent_id        TEXT REFERENCES agents (id),
      rating          INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
      comment         TEXT,
      created_at      TEXT NOT NULL
    );
    CREATE INDEX csat_by_conversation ON csat (conversation_id);
    CREATE INDEX csat_by_date ON csat (created_at);
  `,
};

export interface CsatRating {
  requestId: number;
  conversationId: string;
  agentId: string | null;
  rating: number;
  comment: string | null;
  createdAt: string;
}

export interface CsatRow {
  request_id: number;
  conversation_id: string;
  agent_id: string | null;
  rating: number;
  comment: string | null;
  created_at: string;
}

export type CsatTable = ReturnType<typeof csatTable>;

export function csatTable(db: Db, now: () => string) {
  // Rated: the agent who last held the chat, else the one who answered its ticket by e-mail.
  const upsert = db.prepare<[number, string, string, string, number, string | null, string]>(
    `INSERT INTO csat (request_id, conversation_id, agent_id, rating, comment, created_at) VALUES (?, ?,
       coalesce((SELECT agent_id FROM handoffs WHERE conversation_id = ? AND agent_id IS NOT NULL ORDER BY id DESC LIMIT 1),
                (SELECT answered_by FROM tickets WHERE conversation_id = ? AND answered_by IS NOT NULL ORDER BY answered_at DESC LIMIT 1)),
       ?, ?, ?)
     ON CONFLICT (request_id) DO UPDATE SET rating = excluded.rating, comment = excluded.comment, created_at = excluded.created_at`,
  );
  const ofConversation = db.prepare<[string], CsatRow>('SELECT * FROM csat WHERE conversation_id = ? ORDER BY request_id');
  const byRequest = db.prepare<[number], CsatRow>('SELECT * FROM csat WHERE request_id = ?');
  return {
    /** Returns the rating as stored, with the agent it rates. */
    record(rating: Pick<CsatRating, 'requestId' | 'conversationId' | 'rating' | 'comment'>): CsatRating {
      upsert.run(rating.requestId, rating.conversationId, rating.conversationId, rating.conversationId, rating.rating, rating.comment, now());
      return toRating(byRequest.get(rating.requestId)!);
    },
    ofConversation(conversationId: string): CsatRating[] {
      return ofConversation.all(conversationId).map(toRating);
    },
  };
}

export function toRating(row: CsatRow): CsatRating {
  return {
    requestId: row.request_id,
    conversationId: row.conversation_id,
    agentId: row.agent_id,
    rating: row.rating,
    comment: row.comment,
    createdAt: row.created_at,
  };
}
