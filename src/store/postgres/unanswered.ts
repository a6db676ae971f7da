import type { UnansweredOptions, UnansweredQuestion } from '../unanswered';
import type { Db } from './pool';

/** As SQLite's (src/store/unanswered.ts): questions answered badly, grouped by normalized text, most frequent first. */
const UNANSWERED = `
  SELECT q.normalized AS normalized,
         (SELECT q2.text FROM messages q2 WHERE q2.normalized = q.normalized AND q2.sender = 'shopper' ORDER BY q2.id DESC LIMIT 1) AS example,
         max(q.lang) AS lang,
         count(*) AS count,
         max(q.created_at) AS "lastAskedAt",
         (SELECT r2.action FROM messages r2 JOIN messages q3 ON r2.reply_to = q3.id
           WHERE q3.normalized = q.normalized AND r2.sender = 'bot' ORDER BY r2.id DESC LIMIT 1) AS "lastAction"
    FROM messages q
    JOIN messages r ON r.reply_to = q.id AND r.sender = 'bot'
   WHERE q.sender = 'shopper'
     AND q.normalized IS NOT NULL AND q.normalized <> ''
     AND (r.action IN ('fallback', 'clarify') OR (r.action = 'answer' AND r.confidence < $1))
     AND ($2::timestamptz IS NULL OR q.created_at >= $2)
     AND ($3::text IS NULL OR q.lang = $3)
   GROUP BY q.normalized
   ORDER BY count(*) DESC, max(q.created_at) DESC, max(q.id) DESC
   LIMIT $4`;

export async function unansweredQuestions(db: Db, options: UnansweredOptions = {}): Promise<UnansweredQuestion[]> {
  return db.rows<UnansweredQuestion>(UNANSWERED, [options.belowConfidence ?? 0.5, options.since ?? null, options.lang ?? null, options.limit ?? 50]);
}
