import type { AnalyticsFigures, AnalyticsPeriod, AnalyticsStore, DayFigures } from '../store';

/** Days counted per query: a month of a busy shop takes tens of milliseconds (docs/analytics.md, Speed). */
export const DAYS_PER_SLICE = 31;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The store's figures for one request, part by part (the per-day counts a month at a time) with a turn
 * of the event loop between parts: SQLite's calls run synchronously, and a year-long range must not hold
 * up shoppers' messages for the whole count.
 */
export async function collectFigures(queries: AnalyticsStore, period: AnalyticsPeriod): Promise<AnalyticsFigures> {
  const days: DayFigures[] = [];
  for (let start = 0; start < period.days.length; start += DAYS_PER_SLICE) {
    days.push(...(await queries.dayFigures(period.days.slice(start, start + DAYS_PER_SLICE), period.lang)));
    await nextTurn();
  }
  const handoffs = await queries.handoffFigures(period);
  await nextTurn();
  const answers = await queries.answerFigures(period);
  await nextTurn();
  return { days, ...handoffs, ...answers, ...(await queries.questionFigures(period)) };
}
