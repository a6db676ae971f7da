import type { Lang } from '../../knowledge/types';
import type { KnowledgeGapStore } from '../types';
import type { Db } from './pool';

interface GapRow {
  id: number;
  text: string;
  lang: Lang;
  askedAt: string;
  action: string | null;
  entryId: string | null;
  confidence: number | null;
  thumbsDown: boolean;
}

// The bot's first reply to each typed question (choices have no normalized text), with the shopper's
// thumb; a "did you mean" counts only when the shopper's next message was not one of its buttons.
const QUESTIONS = `
  SELECT q.id AS id, q.text AS text, coalesce(q.lang, r.lang) AS lang, q.created_at AS "askedAt",
         r.action AS action, r.entry_id AS "entryId", r.confidence AS confidence,
         coalesce(NOT f.helpful, false) AS "thumbsDown"
    FROM messages q
    JOIN messages r ON r.id = (SELECT min(r1.id) FROM messages r1 WHERE r1.reply_to = q.id AND r1.sender = 'bot' AND r1.action IS NOT NULL)
    LEFT JOIN feedback f ON f.message_id = r.id
   WHERE q.sender = 'shopper' AND q.normalized IS NOT NULL AND q.normalized <> ''
     AND ($1::timestamptz IS NULL OR q.created_at >= $1)
     AND ($2::text IS NULL OR q.lang = $2)
     AND (NOT f.helpful
          OR r.action = 'fallback'
          OR (r.action = 'answer' AND r.confidence < $3)
          OR (r.action = 'clarify' AND NOT coalesce((SELECT n.normalized IS NULL FROM messages n
                WHERE n.conversation_id = q.conversation_id AND n.sender = 'shopper' AND n.id > r.id
                ORDER BY n.id LIMIT 1), false)))
   ORDER BY q.id DESC
   LIMIT $4`;

export function knowledgeGapStore(db: Db, now: () => string): KnowledgeGapStore {
  return {
    async questions(options) {
      const rows = await db.rows<GapRow>(QUESTIONS, [options.since ?? null, options.lang ?? null, options.belowConfidence, options.limit ?? 5000]);
      return rows.map((row) => ({
        id: row.id,
        text: row.text,
        lang: row.lang,
        askedAt: row.askedAt,
        reason: row.thumbsDown ? 'thumbs_down' : row.action === 'fallback' ? 'fallback' : row.action === 'clarify' ? 'clarify_unpicked' : 'low_confidence',
        entryId: row.entryId,
        confidence: row.confidence,
      }));
    },
    async handled() {
      const rows = await db.rows<{ lang: Lang; termKey: string; handledAt: string }>(
        'SELECT lang, term_key AS "termKey", handled_at AS "handledAt" FROM knowledge_gaps_handled',
      );
      return new Map(rows.map((row) => [`${row.lang} ${row.termKey}`, row.handledAt]));
    },
    async markHandled(lang, termKeys, agentId) {
      const at = now();
      // One statement for all keys: atomic without a transaction of its own.
      await db.write(
        `INSERT INTO knowledge_gaps_handled (lang, term_key, handled_at, handled_by) SELECT $1, term_key, $3, $4 FROM unnest($2::text[]) AS key (term_key)
         ON CONFLICT (lang, term_key) DO UPDATE SET handled_at = excluded.handled_at, handled_by = excluded.handled_by`,
        [lang, [...new Set(termKeys)], at, agentId],
      );
      return at;
    },
  };
}
