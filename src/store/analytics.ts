import type { Lang } from '../knowledge/types';
import type { Db } from './database';
import type { Migration } from './migrations';

/**
 * Appended to MIGRATIONS: indexes for the analytics page's date-range queries (docs/analytics.md).
 * Each query starts from one of these ranges; the per-conversation lookups use the conversation_id ones.
 */
export const ANALYTICS_MIGRATION: Migration = {
  version: 9,
  name: 'analytics indexes',
  up: `
    CREATE INDEX conversations_by_date ON conversations (created_at);
    CREATE INDEX messages_by_sender_date ON messages (sender, created_at);
    CREATE INDEX handoffs_by_date ON handoffs (requested_at);
    CREATE INDEX handoffs_by_conversation ON handoffs (conversation_id);
    CREATE INDEX tickets_by_date ON tickets (created_at);
    CREATE INDEX tickets_by_conversation ON tickets (conversation_id);
  `,
};

/** One day of the shop's calendar as UTC instants: [start, end). */
export interface AnalyticsDay {
  day: string;
  start: string;
  end: string;
}

/** What to count: conversations, messages, handoffs, tickets and ratings that happened in [from, to). */
export interface AnalyticsPeriod {
  from: string;
  to: string;
  days: readonly AnalyticsDay[];
  /** null: both languages. */
  lang: Lang | null;
}

export interface DayFigures {
  day: string;
  /** Conversations started that day in which the shopper wrote at least once. */
  conversations: number;
  /** Of those, the ones that never reached a person: no handoff and no ticket. */
  contained: number;
}

export interface ReasonFigures {
  reason: string;
  /** Handoffs queued for a person. */
  handoffs: number;
  /** Messages left for the team (tickets), by the reason the shopper asked for a person. */
  tickets: number;
}

/** Seconds; percentiles interpolate linearly between ranks (SQLite's percentile_cont); null with no data. */
export interface Percentiles {
  count: number;
  p50: number | null;
  p90: number | null;
}

export interface EntryFigures {
  entryId: string;
  answers: number;
  helpful: number;
  unhelpful: number;
}

export interface AnalyticsFigures {
  days: DayFigures[];
  reasons: ReasonFigures[];
  handoffs: number;
  /** From the handoff's request to the first agent reply in the chat during it. */
  firstReply: Percentiles;
  /** From the (last) agent's claim to "resolved", for handoffs that were resolved. */
  handling: Percentiles;
  /** Count of ratings 1..5 (index 0 is rating 1). */
  csat: [number, number, number, number, number];
  entries: EntryFigures[];
  /** Typed shopper messages the bot answered itself (not clicks on buttons, not form answers). */
  questions: number;
  fallbacks: number;
  clarifications: number;
  tickets: { opened: number; answered: number; closedUnanswered: number; open: number; timeToAnswer: Percentiles };
}

// ISO strings from toISOString() all have the same shape, so text comparison is time order.
const IN_RANGE = (column: string) => `${column} >= @from AND ${column} < @to`;
const SECONDS = (from: string, to: string) => `round(unixepoch(${to}, 'subsec') - unixepoch(${from}, 'subsec'), 1)`;

export type AnalyticsQueries = ReturnType<typeof analyticsQueries>;

/** The analytics page's figures, each one indexed query over a date range (EXPLAIN QUERY PLAN in test/integration/analytics.test.ts). */
export function analyticsQueries(db: Db) {
  const statements = {
    days: db.prepare<{ days: string; lang: Lang | null }, DayFigures>(
      `WITH day(day, start, end) AS (SELECT value ->> 'day', value ->> 'start', value ->> 'end' FROM json_each(@days))
       SELECT day.day AS day, count(c.id) AS conversations,
              count(c.id) FILTER (WHERE NOT EXISTS (SELECT 1 FROM handoffs h WHERE h.conversation_id = c.id)
                                    AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.conversation_id = c.id)
                                    AND NOT EXISTS (SELECT 1 FROM messages e WHERE e.conversation_id = c.id AND e.action = 'escalate')) AS contained
         FROM day
         LEFT JOIN conversations c ON c.created_at >= day.start AND c.created_at < day.end
              AND (@lang IS NULL OR c.lang = @lang)
              AND EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.sender = 'shopper')
        GROUP BY day.day ORDER BY day.day`,
    ),
    reasons: db.prepare<Params, ReasonFigures>(
      `SELECT reason, sum(handoff) AS handoffs, sum(ticket) AS tickets FROM (
         SELECT reason, 1 AS handoff, 0 AS ticket FROM handoffs WHERE ${IN_RANGE('requested_at')} AND (@lang IS NULL OR lang = @lang)
         UNION ALL
         SELECT reason, 0, 1 FROM tickets WHERE ${IN_RANGE('created_at')} AND (@lang IS NULL OR lang = @lang))
       GROUP BY reason ORDER BY handoffs + tickets DESC, reason`,
    ),
    waits: db.prepare<Params, { handoffs: number; replied: number; replyP50: number | null; replyP90: number | null; resolved: number; handlingP50: number | null; handlingP90: number | null }>(
      // MATERIALIZED: each handoff's reply time is looked up once, not once per aggregate that reads it.
      // INDEXED BY: a conversation has a few messages, whereas "agent messages since" grows with the shop.
      `WITH handoff AS MATERIALIZED (
         SELECT ${SECONDS('h.requested_at', `(SELECT min(m.created_at) FROM messages m INDEXED BY messages_by_conversation
                  WHERE m.conversation_id = h.conversation_id AND m.sender = 'agent' AND m.kind = 'text' AND m.via IS NULL
                    AND m.created_at >= h.requested_at AND (h.closed_at IS NULL OR m.created_at <= h.closed_at))`)} AS reply,
                CASE WHEN h.outcome = 'resolved' AND h.assigned_at IS NOT NULL THEN ${SECONDS('h.assigned_at', 'h.closed_at')} END AS handling
           FROM handoffs h WHERE ${IN_RANGE('h.requested_at')} AND (@lang IS NULL OR h.lang = @lang))
       SELECT count(*) AS handoffs,
              count(reply) AS replied, percentile_cont(reply, 0.5) AS replyP50, percentile_cont(reply, 0.9) AS replyP90,
              count(handling) AS resolved, percentile_cont(handling, 0.5) AS handlingP50, percentile_cont(handling, 0.9) AS handlingP90
         FROM handoff`,
    ),
    csat: db.prepare<Params, { rating: number; count: number }>(
      `SELECT s.rating AS rating, count(*) AS count FROM csat s JOIN conversations c ON c.id = s.conversation_id
        WHERE ${IN_RANGE('s.created_at')} AND (@lang IS NULL OR c.lang = @lang) GROUP BY s.rating`,
    ),
    entries: db.prepare<Params, EntryFigures>(
      `SELECT r.entry_id AS entryId, count(*) AS answers,
              count(*) FILTER (WHERE f.helpful = 1) AS helpful, count(*) FILTER (WHERE f.helpful = 0) AS unhelpful
         FROM messages r LEFT JOIN feedback f ON f.message_id = r.id
        WHERE r.sender = 'bot' AND ${IN_RANGE('r.created_at')} AND r.action = 'answer' AND r.entry_id IS NOT NULL
          AND (@lang IS NULL OR r.lang = @lang)
        GROUP BY r.entry_id ORDER BY answers DESC, r.entry_id`,
    ),
    questions: db.prepare<Params, { questions: number; fallbacks: number; clarifications: number }>(
      `SELECT count(*) AS questions, count(*) FILTER (WHERE fallback) AS fallbacks, count(*) FILTER (WHERE clarify) AS clarifications
         FROM (SELECT max(r.action = 'fallback') AS fallback, max(r.action = 'clarify') AS clarify
                 FROM messages q JOIN messages r ON r.reply_to = q.id AND r.sender = 'bot' AND r.action IS NOT NULL
                WHERE q.sender = 'shopper' AND ${IN_RANGE('q.created_at')} AND q.normalized IS NOT NULL AND q.normalized <> ''
                  AND (@lang IS NULL OR q.lang = @lang)
                GROUP BY q.id)`,
    ),
    tickets: db.prepare<Params, { opened: number; answered: number; closedUnanswered: number; open: number; p50: number | null; p90: number | null }>(
      `SELECT count(*) AS opened, count(answered_at) AS answered,
              count(*) FILTER (WHERE status = 'closed' AND answered_at IS NULL) AS closedUnanswered,
              count(*) FILTER (WHERE status = 'open') AS open,
              percentile_cont(${SECONDS('created_at', 'answered_at')}, 0.5) AS p50,
              percentile_cont(${SECONDS('created_at', 'answered_at')}, 0.9) AS p90
         FROM tickets WHERE ${IN_RANGE('created_at')} AND (@lang IS NULL OR lang = @lang)`,
    ),
  };

  const dayFigures = (days: readonly AnalyticsDay[], lang: Lang | null): DayFigures[] => statements.days.all({ days: JSON.stringify(days), lang });
  const paramsOf = (period: AnalyticsPeriod): Params => ({ from: period.from, to: period.to, lang: period.lang });
  const handoffFigures = (period: AnalyticsPeriod): Pick<AnalyticsFigures, 'reasons' | 'handoffs' | 'firstReply' | 'handling' | 'csat' | 'tickets'> => {
    const params = paramsOf(period);
    const waits = statements.waits.get(params)!;
    const csat: AnalyticsFigures['csat'] = [0, 0, 0, 0, 0];
    for (const { rating, count } of statements.csat.all(params)) csat[rating - 1] = count;
    const tickets = statements.tickets.get(params)!;
    return {
      reasons: statements.reasons.all(params),
      handoffs: waits.handoffs,
      firstReply: { count: waits.replied, p50: waits.replyP50, p90: waits.replyP90 },
      handling: { count: waits.resolved, p50: waits.handlingP50, p90: waits.handlingP90 },
      csat,
      tickets: {
        opened: tickets.opened,
        answered: tickets.answered,
        closedUnanswered: tickets.closedUnanswered,
        open: tickets.open,
        timeToAnswer: { count: tickets.answered, p50: tickets.p50, p90: tickets.p90 },
      },
    };
  };
  const answerFigures = (period: AnalyticsPeriod): Pick<AnalyticsFigures, 'entries'> => ({ entries: statements.entries.all(paramsOf(period)) });
  const questionFigures = (period: AnalyticsPeriod): Pick<AnalyticsFigures, 'questions' | 'fallbacks' | 'clarifications'> => statements.questions.get(paramsOf(period))!;

  return {
    statements,
    // Separate parts, so a caller can let the event loop run between them (src/analytics/collect.ts).
    /** Conversations and containment for these days: one lookup per conversation, the costliest part. */
    dayFigures,
    handoffFigures,
    answerFigures,
    questionFigures,
    figures(period: AnalyticsPeriod): AnalyticsFigures {
      return { days: dayFigures(period.days, period.lang), ...handoffFigures(period), ...answerFigures(period), ...questionFigures(period) };
    },
  };
}

interface Params {
  from: string;
  to: string;
  lang: Lang | null;
}
