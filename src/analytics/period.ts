import { z } from 'zod';
import type { Lang } from '../knowledge/types';
import type { AnalyticsDay, AnalyticsPeriod } from '../store';

/** The longest range one request may ask for: a year, leap day included. */
export const MAX_RANGE_DAYS = 366;
/** Without `from`, the page shows this many days ending on `to`. */
export const DEFAULT_RANGE_DAYS = 30;

const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'use a date as YYYY-MM-DD, e.g. 2026-12-01')
  .refine((text) => dayNumber(text) !== null, 'is not a day of the calendar');

/** The query string of /agent/analytics and /agent/api/analytics/… (docs/analytics.md). */
export const analyticsQuerySchema = z
  .object({
    from: calendarDate.optional(),
    to: calendarDate.optional(),
    lang: z.enum(['all', 'es', 'en']).default('all'),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();

export interface AnalyticsFilters {
  /** First and last day, inclusive, in the shop's time zone. */
  from: string;
  to: string;
  lang: 'all' | Lang;
  timeZone: string;
}

export type ParsedAnalyticsQuery =
  | { ok: true; filters: AnalyticsFilters; period: AnalyticsPeriod; format: 'json' | 'csv' }
  | { ok: false; message: string };

/**
 * Reads from/to/lang/format. Days are the shop's (config handoff.timeZone): "2026-12-01" means from
 * midnight to midnight there, whatever the server's clock says, daylight saving included.
 */
export function parseAnalyticsQuery(query: unknown, options: { timeZone: string; now: Date }): ParsedAnalyticsQuery {
  const parsed = analyticsQuerySchema.safeParse(query ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? `"${issue.path.join('.')}"` : 'the query';
    const message = issue.code === 'unrecognized_keys' ? `unknown parameter ${issue.keys.map((key) => `"${key}"`).join(', ')}; use from, to, lang, format` : `${where}: ${issue.message}`;
    return { ok: false, message };
  }
  const { lang, format } = parsed.data;
  const to = parsed.data.to ?? localDate(options.now, options.timeZone);
  const from = parsed.data.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  const span = dayNumber(to)! - dayNumber(from)! + 1;
  if (span < 1) return { ok: false, message: `"from" (${from}) is after "to" (${to})` };
  if (span > MAX_RANGE_DAYS) return { ok: false, message: `the range is ${span} days; at most ${MAX_RANGE_DAYS} at a time` };
  const days: AnalyticsDay[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    days.push({ day, start: startOfDay(day, options.timeZone).toISOString(), end: startOfDay(addDays(day, 1), options.timeZone).toISOString() });
  }
  return {
    ok: true,
    format,
    filters: { from, to, lang, timeZone: options.timeZone },
    period: { from: days[0]!.start, to: days.at(-1)!.end, days, lang: lang === 'all' ? null : lang },
  };
}

/** Days since 1970-01-01 for a real calendar date, else null (2026-02-30). */
function dayNumber(text: string): number | null {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  const time = Date.UTC(year, month - 1, day);
  const date = new Date(time);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return time / 86_400_000;
}

export function addDays(day: string, count: number): string {
  return new Date((dayNumber(day)! + count) * 86_400_000).toISOString().slice(0, 10);
}

/** The calendar day at `instant` in `timeZone`, as YYYY-MM-DD. */
export function localDate(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** Milliseconds the zone's wall clock is ahead of UTC at `instant`. */
function zoneOffset(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(instant));
  const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

/** Midnight of `day` in `timeZone` (corrected once: the offset at midnight may differ from the guess's, across DST). */
export function startOfDay(day: string, timeZone: string): Date {
  const wallMidnight = dayNumber(day)! * 86_400_000;
  const guess = wallMidnight - zoneOffset(wallMidnight, timeZone);
  return new Date(wallMidnight - zoneOffset(guess, timeZone));
}
