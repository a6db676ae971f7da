import type { Lang } from '../knowledge/types';
import type { Db } from './database';

export interface UnansweredQuestion {
  /** The question after normalization: the grouping key. */
  normalized: string;
  /** The most recent wording a shopper used. */
  example: string;
  lang: Lang | null;
  count: number;
  lastAskedAt: string;
  /** What the bot did the last time: fallback, clarify, or a low-confidence answer. */
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
      `SELECT q.normalized AS normalized,
              (SELECT q2.text FROM messages q2 WHERE q2.normalized = q.normalized AND q2.sender = 'shopper' ORDER BY q2.id DESC LIMIT 1) AS example,
              max(q.lang) AS lang,
              count(*) AS count,
              max(q.created_at) AS lastAskedAt,
              (SELECT r2.action FROM messages r2 JOIN messages q3 ON r2.reply_to = q3.id
                WHERE q3.normalized = q.normalized AND r2.sender = 'bot' ORDER BY r2.id DESC LIMIT 1) AS lastAction
         FROM messages q
         JOIN messages r ON r.reply_to = q.id AND r.sender = 'bot'
        WHERE q.sender = 'shopper'
          AND q.normalized IS NOT NULL AND q.normalized <> ''
          AND (r.action IN ('fallback', 'clarify') OR (r.action = 'answer' AND r.confidence < @below))
          AND (@since IS NULL OR q.created_at >= @since)
          AND (@lang IS NULL OR q.lang = @lang)
        GROUP BY q.normalized
        ORDER BY count DESC, lastAskedAt DESC, max(q.id) DESC
        LIMIT @limit`,
    )
    .all({ since: options.since ?? null, lang: options.lang ?? null, below: options.belowConfidence ?? 0.5, limit: options.limit ?? 50 });
  return rows as UnansweredQuestion[];
}
