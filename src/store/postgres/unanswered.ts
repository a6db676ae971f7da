import type { UnansweredOptions, UnansweredQuestion } from '../unanswered';
import type { Db } from './pool';

/** As SQLite's (src/store/unanswered.ts): questions answered badly, grouped by normalized text, most frequent first. */
const UNANSWERED = `
  WITH unanswered AS (
    SELECT q.id, q.normalized, q.text, q.lang, q.created_at, r.action
      FROM messages q
      JOIN messages r ON r.reply_to = q.id AND r.sender = 'bot'
     WHERE q.sender = 'shopper'
       AND q.normalized IS NOT NULL AND q.normalized <> ''
       AND (r.action IN ('fallback', 'clarify') OR (r.action = 'answer' AND r.confidence < $1))
       AND ($2::timestamptz IS NULL OR q.created_at >= $2)
       AND ($3::text IS NULL OR q.lang = $3)
  )
  SELECT u.normalized AS normalized,
         (SELECT u2.text FROM unanswered u2 WHERE u2.normalized = u.normalized ORDER BY u2.id DESC LIMIT 1) AS example,
         max(u.lang) AS lang,
         count(*) AS count,
         max(u.created_at) AS "lastAskedAt",
         (SELECT u3.action FROM unanswered u3 WHERE u3.normalized = u.normalized ORDER BY u3.id DESC LIMIT 1) AS "lastAction"
    FROM unanswered u
   GROUP BY u.normalized
   ORDER BY count(*) DESC, max(u.created_at) DESC, max(u.id) DESC
   LIMIT $4`;

export async function unansweredQuestions(db: Db, options: UnansweredOptions = {}): Promise<UnansweredQuestion[]> {
  return db.rows<UnansweredQuestion>(UNANSWERED, [options.belowConfidence ?? 0.5, options.since ?? null, options.lang ?? null, options.limit ?? 50]);
}
