import type { Lang } from '../knowledge/types';
import type { Db } from './database';

export interface UnansweredQuestion {
  /** The question after normalization: the grouping key. */
  normalized: string;
  /** The most recent wording a shopper used, among the times it went unanswered. */
  example: string;
  lang: Lang | null;
  count: number;
  lastAskedAt: string;
  /** What the bot did the last time it went unanswered: fallback, clarify, or a low-confidence answer. */
  lastAction: string | null;
}

export interface UnansweredOptions {
  /** ISO date or date-time; only questions asked at or after it. */
  since?: string;
  limit?: number;
  lang?: Lang;
  /** Answers below this confidence count as unanswered too. Default 0.5. */
  belowConfidence?: number;
}

/**
 * Shopper questions the bot could not answer well (its reply was a fallback, a clarify question,
 * or an answer below the confidence bar), grouped by normalized text, most frequent first.
 * For content editors (`atento kb unanswered`): each row is a FAQ that may be missing.
 */
export function unansweredQuestions(db: Db, options: UnansweredOptions = {}): UnansweredQuestion[] {
  const rows = db
    .prepare(
      // The example and the last action come from the same unanswered askings as the count and the time:
      // a question answered well since then must not show "bot: answer" next to its last fallback's time.
      `WITH unanswered AS (
         SELECT q.id, q.normalized, q.text, q.lang, q.created_at, r.action
           FROM messages q
           JOIN messages r ON r.reply_to = q.id AND r.sender = 'bot'
          WHERE q.sender = 'shopper'
            AND q.normalized IS NOT NULL AND q.normalized <> ''
            AND (r.action IN ('fallback', 'clarify') OR (r.action = 'answer' AND r.confidence < @below))
            AND (@since IS NULL OR q.created_at >= @since)
            AND (@lang IS NULL OR q.lang = @lang)
       )
       SELECT u.normalized AS normalized,
              (SELECT u2.text FROM unanswered u2 WHERE u2.normalized = u.normalized ORDER BY u2.id DESC LIMIT 1) AS example,
              max(u.lang) AS lang,
              count(*) AS count,
              max(u.created_at) AS lastAskedAt,
              (SELECT u3.action FROM unanswered u3 WHERE u3.normalized = u.normalized ORDER BY u3.id DESC LIMIT 1) AS lastAction
         FROM unanswered u
        GROUP BY u.normalized
        ORDER BY count DESC, lastAskedAt DESC, max(u.id) DESC
        LIMIT @limit`,
    )
    .all({ since: options.since ?? null, lang: options.lang ?? null, below: options.belowConfidence ?? 0.5, limit: options.limit ?? 50 });
  return rows as UnansweredQuestion[];
}
