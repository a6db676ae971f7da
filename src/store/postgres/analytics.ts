import type { AnalyticsFigures, AnalyticsPeriod, DayFigures, EntryFigures, ReasonFigures } from '../analytics';
import type { AnalyticsStore } from '../types';
import type { Db } from './pool';

/**
 * The analytics page's figures (docs/analytics.md), the same definitions as SQLite's (src/store/analytics.ts).
 * Parameters: $1 from, $2 to, $3 lang (null: both languages). Durations are seconds rounded to 0.1 before the
 * percentiles, as on SQLite; percentile_cont interpolates linearly between ranks on both.
 */
const IN_RANGE = (column: string) => `${column} >= $1 AND ${column} < $2`;
const LANG = (column: string) => `($3::text IS NULL OR ${column} = $3)`;
const SECONDS = (from: string, to: string) => `round(extract(epoch FROM ${to} - ${from}), 1)::double precision`;
const PERCENTILE = (fraction: number, value: string) => `percentile_cont(${fraction}) WITHIN GROUP (ORDER BY ${value})`;

const DAYS = `
  WITH day AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS day (day text, start timestamptz, "end" timestamptz))
  SELECT day.day AS day, count(c.id) AS conversations,
         count(c.id) FILTER (WHERE NOT EXISTS (SELECT 1 FROM handoffs h WHERE h.conversation_id = c.id)
                               AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.conversation_id = c.id)
                               AND NOT EXISTS (SELECT 1 FROM messages e WHERE e.conversation_id = c.id AND e.action = 'escalate')) AS contained
    FROM day
    LEFT JOIN conversations c ON c.created_at >= day.start AND c.created_at < day."end"
         AND ($2::text IS NULL OR c.lang = $2)
         AND EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.sender = 'shopper')
   GROUP BY day.day ORDER BY day.day`;

const REASONS = `
  SELECT reason, sum(handoff)::integer AS handoffs, sum(ticket)::integer AS tickets FROM (
    SELECT reason, 1 AS handoff, 0 AS ticket FROM handoffs WHERE ${IN_RANGE('requested_at')} AND ${LANG('lang')}
    UNION ALL
    SELECT reason, 0, 1 FROM tickets WHERE ${IN_RANGE('created_at')} AND ${LANG('lang')}) reasons
  GROUP BY reason ORDER BY sum(handoff) + sum(ticket) DESC, reason`;

const WAITS = `
  WITH handoff AS MATERIALIZED (
    SELECT ${SECONDS('h.requested_at', `(SELECT min(m.created_at) FROM messages m
             WHERE m.conversation_id = h.conversation_id AND m.sender = 'agent' AND m.kind = 'text' AND m.via IS NULL
               AND m.created_at >= h.requested_at AND (h.closed_at IS NULL OR m.created_at <= h.closed_at))`)} AS reply,
           CASE WHEN h.outcome = 'resolved' AND h.assigned_at IS NOT NULL THEN ${SECONDS('h.assigned_at', 'h.closed_at')} END AS handling
      FROM handoffs h WHERE ${IN_RANGE('h.requested_at')} AND ${LANG('h.lang')})
  SELECT count(*) AS handoffs,
         count(reply) AS replied, ${PERCENTILE(0.5, 'reply')} AS "replyP50", ${PERCENTILE(0.9, 'reply')} AS "replyP90",
         count(handling) AS resolved, ${PERCENTILE(0.5, 'handling')} AS "handlingP50", ${PERCENTILE(0.9, 'handling')} AS "handlingP90"
    FROM handoff`;

const CSAT = `
  SELECT s.rating AS rating, count(*) AS count FROM csat s JOIN conversations c ON c.id = s.conversation_id
   WHERE ${IN_RANGE('s.created_at')} AND ${LANG('c.lang')} GROUP BY s.rating`;

const ENTRIES = `
  SELECT r.entry_id AS "entryId", count(*) AS answers,
         count(*) FILTER (WHERE f.helpful) AS helpful, count(*) FILTER (WHERE NOT f.helpful) AS unhelpful
    FROM messages r LEFT JOIN feedback f ON f.message_id = r.id
   WHERE r.sender = 'bot' AND ${IN_RANGE('r.created_at')} AND r.action = 'answer' AND r.entry_id IS NOT NULL AND ${LANG('r.lang')}
   GROUP BY r.entry_id ORDER BY answers DESC, r.entry_id`;

const QUESTIONS = `
  SELECT count(*) AS questions, count(*) FILTER (WHERE fallback) AS fallbacks, count(*) FILTER (WHERE clarify) AS clarifications
    FROM (SELECT bool_or(r.action = 'fallback') AS fallback, bool_or(r.action = 'clarify') AS clarify
            FROM messages q JOIN messages r ON r.reply_to = q.id AND r.sender = 'bot' AND r.action IS NOT NULL
           WHERE q.sender = 'shopper' AND ${IN_RANGE('q.created_at')} AND q.normalized IS NOT NULL AND q.normalized <> '' AND ${LANG('q.lang')}
           GROUP BY q.id) question`;

const TICKETS = `
  SELECT count(*) AS opened, count(answered_at) AS answered,
         count(*) FILTER (WHERE status = 'closed' AND answered_at IS NULL) AS "closedUnanswered",
         count(*) FILTER (WHERE status = 'open') AS open,
         ${PERCENTILE(0.5, SECONDS('created_at', 'answered_at'))} AS p50,
         ${PERCENTILE(0.9, SECONDS('created_at', 'answered_at'))} AS p90
    FROM tickets WHERE ${IN_RANGE('created_at')} AND ${LANG('lang')}`;

export function analyticsStore(db: Db): AnalyticsStore {
  const paramsOf = (period: AnalyticsPeriod) => [period.from, period.to, period.lang];
  const dayFigures: AnalyticsStore['dayFigures'] = (days, lang) => db.rows<DayFigures>(DAYS, [JSON.stringify(days), lang]);
  const handoffFigures: AnalyticsStore['handoffFigures'] = async (period) => {
    const params = paramsOf(period);
    const [waitRows, csatRows, ticketRows, reasons] = await Promise.all([
      db.rows<{ handoffs: number; replied: number; replyP50: number | null; replyP90: number | null; resolved: number; handlingP50: number | null; handlingP90: number | null }>(WAITS, params),
      db.rows<{ rating: number; count: number }>(CSAT, params),
      db.rows<{ opened: number; answered: number; closedUnanswered: number; open: number; p50: number | null; p90: number | null }>(TICKETS, params),
      db.rows<ReasonFigures>(REASONS, params),
    ]);
    const waits = waitRows[0]!;
    const tickets = ticketRows[0]!;
    const csat: AnalyticsFigures['csat'] = [0, 0, 0, 0, 0];
    for (const { rating, count } of csatRows) csat[rating - 1] = count;
    return {
      reasons,
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
  const answerFigures: AnalyticsStore['answerFigures'] = async (period) => ({ entries: await db.rows<EntryFigures>(ENTRIES, paramsOf(period)) });
  const questionFigures: AnalyticsStore['questionFigures'] = async (period) =>
    (await db.rows<{ questions: number; fallbacks: number; clarifications: number }>(QUESTIONS, paramsOf(period)))[0]!;
  return {
    dayFigures,
    handoffFigures,
    answerFigures,
    questionFigures,
    async figures(period) {
      const [days, handoffs, answers, questions] = await Promise.all([
        dayFigures(period.days, period.lang),
        handoffFigures(period),
        answerFigures(period),
        questionFigures(period),
      ]);
      return { days, ...handoffs, ...answers, ...questions };
    },
  };
}
