import type { GapReason } from '../gaps/group';
import type { Lang } from '../knowledge/types';
import type { Db } from './database';
import type { Migration } from './migrations';

/**
 * Groups of unanswered questions an editor marked handled. A group is stored as the term keys of its
 * questions (src/gaps), so questions asked after `handled_at` with the same terms bring it back.
 */
export const KNOWLEDGE_GAPS_MIGRATION: Migration = {
  version: 8,
  name: 'knowledge gaps marked handled',
  up: `
    CREATE TABLE knowledge_gaps_handled (
      lang        TEXT NOT NULL,
      -- the question's content stems, sorted and joined by spaces (src/gaps/group.ts)
      term_key    TEXT NOT NULL,
      handled_at  TEXT NOT NULL,
      handled_by  TEXT,
      PRIMARY KEY (lang, term_key)
    );
  `,
};


export interface GapQuestion {
  /** The shopper message's id. */
  id: number;
  text: string;
  lang: Lang;
  askedAt: string;
  /** A question with several reasons gets the first: thumbs_down, fallback, clarify_unpicked, low_confidence. */
  reason: GapReason;
  /** What the bot answered or offered first (null for a fallback). */
  entryId: string | null;
  confidence: number | null;
}

export interface GapQueryOptions {
  /** ISO date or date-time; only questions asked at or after it. */
  since?: string;
  lang?: Lang;
  /** Answers below this confidence count as gaps. */
  belowConfidence: number;
  /** The newest questions considered (default 5,000): grouping is done in memory. */
  limit?: number;
}

interface GapRow {
  id: number;
  text: string;
  lang: Lang;
  askedAt: string;
  action: string | null;
  entryId: string | null;
  confidence: number | null;
  thumbsDown: 0 | 1;
}

export type KnowledgeGapTable = ReturnType<typeof knowledgeGapTable>;

export function knowledgeGapTable(db: Db, now: () => string) {
  // The bot's first reply to each typed question (choices have no normalized text), with the shopper's
  // thumb; a "did you mean" counts only when the shopper's next message was not one of its buttons.
  const questions = db.prepare<Record<string, unknown>, GapRow>(
    `SELECT q.id AS id, q.text AS text, coalesce(q.lang, r.lang) AS lang, q.created_at AS askedAt,
            r.action AS action, r.entry_id AS entryId, r.confidence AS confidence,
            coalesce(f.helpful = 0, 0) AS thumbsDown
       FROM messages q
       JOIN messages r ON r.id = (SELECT min(r1.id) FROM messages r1 WHERE r1.reply_to = q.id AND r1.sender = 'bot' AND r1.action IS NOT NULL)
       LEFT JOIN feedback f ON f.message_id = r.id
      WHERE q.sender = 'shopper' AND q.normalized IS NOT NULL AND q.normalized <> ''
        AND (@since IS NULL OR q.created_at >= @since)
        AND (@lang IS NULL OR q.lang = @lang)
        AND (f.helpful = 0
             OR r.action = 'fallback'
             OR (r.action = 'answer' AND r.confidence < @below)
             OR (r.action = 'clarify' AND coalesce((SELECT n.normalized IS NULL FROM messages n
                   WHERE n.conversation_id = q.conversation_id AND n.sender = 'shopper' AND n.id > r.id
                   ORDER BY n.id LIMIT 1), 0) = 0))
      ORDER BY q.id DESC
      LIMIT @limit`,
  );
  const handledRows = db.prepare<[], { lang: Lang; termKey: string; handledAt: string }>(
    'SELECT lang, term_key AS termKey, handled_at AS handledAt FROM knowledge_gaps_handled',
  );
  const markHandled = db.prepare<[string, string, string, string | null]>(
    `INSERT INTO knowledge_gaps_handled (lang, term_key, handled_at, handled_by) VALUES (?, ?, ?, ?)
     ON CONFLICT (lang, term_key) DO UPDATE SET handled_at = excluded.handled_at, handled_by = excluded.handled_by`,
  );

  return {
    /** Questions the bot did not answer well, newest first. */
    questions(options: GapQueryOptions): GapQuestion[] {
      const rows = questions.all({ since: options.since ?? null, lang: options.lang ?? null, below: options.belowConfidence, limit: options.limit ?? 5000 });
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
    /** When each term key was last marked handled: "lang term key" → ISO time. */
    handled(): Map<string, string> {
      return new Map(handledRows.all().map((row) => [`${row.lang} ${row.termKey}`, row.handledAt]));
    },
    markHandled(lang: Lang, termKeys: readonly string[], agentId: string | null): string {
      const at = now();
      db.transaction(() => {
        for (const key of termKeys) markHandled.run(lang, key, at, agentId);
      })();
      return at;
    },
  };
}
