import type { HandoffConfig } from '../config';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

type HoursConfig = Pick<HandoffConfig, 'timeZone' | 'businessHours' | 'specialDays'>;

/** A day of the shop's calendar. */
interface ShopDay {
  /** "2026-12-25" */
  date: string;
  weekday: Weekday;
}

interface LocalTime extends ShopDay {
  minutes: number;
}

/** A moment in the shop's calendar, as the shop would say it: "lunes 10:00", `daysAhead` from today. */
export interface ShopMoment extends ShopDay {
  time: string;
  daysAhead: number;
  /** The shop's IANA time zone, which `time` is in: shoppers may live in another. */
  timeZone: string;
}

/** Per time zone, a formatter (building one costs far more than using it) and the last minute it read. */
const clocks = new Map<string, { formatter: Intl.DateTimeFormat; minute: number; time: LocalTime | null }>();
const MS_PER_MINUTE = 60_000;

/** The day and minutes since midnight at `now` in the shop's time zone (DST handled by Intl). */
function localTime(now: Date, timeZone: string): LocalTime {
  let clock = clocks.get(timeZone);
  if (!clock) {
    const formatter = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    clock = { formatter, minute: Number.NaN, time: null };
    clocks.set(timeZone, clock);
  }
  // Every turn asks; within a minute (time zones move by whole minutes) the answer is the same.
  const minute = Math.floor(now.getTime() / MS_PER_MINUTE);
  if (clock.minute === minute && clock.time) return clock.time;
  const parts = clock.formatter.formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const today = dayAfter(`${part('year')}-${part('month')}-${part('day')}`, 0);
  clock.minute = minute;
  clock.time = { ...today, minutes: Number(part('hour')) * 60 + Number(part('minute')) };
  return clock.time;
}

/** The calendar day `offset` days after `date`: civil dates, so no time zone or DST gets in the way. */
function dayAfter(date: string, offset: number): ShopDay {
  const [year, month, day] = date.split('-').map(Number);
  const then = new Date(Date.UTC(year, month - 1, day + offset));
  return { date: then.toISOString().slice(0, 10), weekday: WEEKDAYS[then.getUTCDay()] };
}

/** The day's opening and closing in minutes: a special day's hours, else the week's; null when closed. */
function hoursOn(day: ShopDay, config: HoursConfig): [number, number] | null {
  const range = config.specialDays[day.date] ?? config.businessHours[day.weekday];
  if (!range || range === 'closed') return null;
  const [open, close] = range.split('-').map((hhmm) => {
    const [h, m] = hhmm.split(':').map(Number);
    return h * 60 + m;
  });
  return [open, close];
}

/** How far ahead an opening is looked for: long enough for a closed season (say December 24 to January 6). */
const LOOKAHEAD_DAYS = 62;

export function isWithinBusinessHours(now: Date, config: HoursConfig): boolean {
  const today = localTime(now, config.timeZone);
  const hours = hoursOn(today, config);
  return hours !== null && today.minutes >= hours[0] && today.minutes < hours[1];
}

/** The next opening, or null when none comes within the lookahead. */
export function nextOpening(now: Date, config: HoursConfig): ShopMoment | null {
  const today = localTime(now, config.timeZone);
  for (let offset = 0; offset <= LOOKAHEAD_DAYS; offset++) {
    const day = dayAfter(today.date, offset);
    const hours = hoursOn(day, config);
    if (!hours || (offset === 0 && today.minutes >= hours[0])) continue;
    return { ...day, time: clockTime(hours[0]), daysAhead: offset, timeZone: config.timeZone };
  }
  return null;
}

const MINUTES_PER_DAY = 24 * 60;
/** Reply promises are given on the quarter hour. */
const PROMISE_STEP_MINUTES = 15;

/**
 * When a message left now will have been answered: `hours` business hours after now (or after the
 * next opening, when closed), in the shop's time zone. Null when no opening comes within the lookahead.
 */
export function replyDeadline(now: Date, hours: number, config: HoursConfig): ShopMoment | null {
  const today = localTime(now, config.timeZone);
  let remaining = Math.round(hours * 60);
  // A long promise (say 24 business hours) can span more than a week of short days and closed ones.
  for (let offset = 0; offset <= LOOKAHEAD_DAYS + 14; offset++) {
    const open = hoursOn(dayAfter(today.date, offset), config);
    if (!open) continue;
    const start = offset === 0 ? Math.max(open[0], today.minutes) : open[0];
    if (open[1] - start >= remaining) {
      // Promised on the quarter hour ("antes de las 12:00", not 11:47): read at a glance, and never earlier.
      const at = Math.ceil((start + remaining) / PROMISE_STEP_MINUTES) * PROMISE_STEP_MINUTES;
      // "24:00" reads as midnight of the next day.
      const daysAhead = offset + Math.floor(at / MINUTES_PER_DAY);
      return { ...dayAfter(today.date, daysAhead), time: clockTime(at % MINUTES_PER_DAY), daysAhead, timeZone: config.timeZone };
    }
    remaining -= Math.max(0, open[1] - start);
  }
  return null;
}

function clockTime(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
