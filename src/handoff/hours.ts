import type { HandoffConfig } from '../config';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

interface LocalTime {
  weekday: Weekday;
  minutes: number;
}

/** One formatter per time zone: building one costs far more than using it, and every turn asks. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Weekday and minutes since midnight at `now` in the shop's time zone (DST handled by Intl). */
export function localTime(now: Date, timeZone: string): LocalTime {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = part('weekday').toLowerCase().slice(0, 3) as Weekday;
  return { weekday, minutes: Number(part('hour')) * 60 + Number(part('minute')) };
}

function parseRange(range: string): [number, number] {
  const [open, close] = range.split('-').map((hhmm) => {
    const [h, m] = hhmm.split(':').map(Number);
    return h * 60 + m;
  });
  return [open, close];
}

export function isWithinBusinessHours(now: Date, config: Pick<HandoffConfig, 'timeZone' | 'businessHours'>): boolean {
  const { weekday, minutes } = localTime(now, config.timeZone);
  const range = config.businessHours[weekday];
  if (!range) return false;
  const [open, close] = parseRange(range);
  return minutes >= open && minutes < close;
}

/** The next opening as the shop would say it ("lunes 09:00", `daysAhead` from today), or null when no day has hours. */
export function nextOpening(now: Date, config: Pick<HandoffConfig, 'timeZone' | 'businessHours'>): ShopMoment | null {
  const { weekday, minutes } = localTime(now, config.timeZone);
  const today = WEEKDAYS.indexOf(weekday);
  for (let offset = 0; offset <= 7; offset++) {
    const day = WEEKDAYS[(today + offset) % 7];
    const range = config.businessHours[day];
    if (!range) continue;
    const [open] = parseRange(range);
    if (offset === 0 && minutes >= open) continue;
    return { weekday: day, time: range.slice(0, 5), daysAhead: offset };
  }
  return null;
}

/** A moment in the shop's week, as the shop would say it: "lunes 10:00", `daysAhead` from today. */
export interface ShopMoment {
  weekday: Weekday;
  time: string;
  daysAhead: number;
}

const MINUTES_PER_DAY = 24 * 60;
/** Reply promises are given on the quarter hour. */
const PROMISE_STEP_MINUTES = 15;

/**
 * When a message left now will have been answered: `hours` business hours after now (or after the
 * next opening, when closed), in the shop's time zone. Null when no day has hours.
 */
export function replyDeadline(now: Date, hours: number, config: Pick<HandoffConfig, 'timeZone' | 'businessHours'>): ShopMoment | null {
  const { weekday, minutes } = localTime(now, config.timeZone);
  const today = WEEKDAYS.indexOf(weekday);
  let remaining = Math.round(hours * 60);
  // Up to two weeks ahead: a long promise (say 24 business hours) can span more than one week of short days.
  for (let offset = 0; offset <= 14; offset++) {
    const range = config.businessHours[WEEKDAYS[(today + offset) % 7]];
    if (!range) continue;
    const [open, close] = parseRange(range);
    const start = offset === 0 ? Math.max(open, minutes) : open;
    if (close - start >= remaining) {
      // Promised on the quarter hour ("antes de las 12:00", not 11:47): read at a glance, and never earlier.
      const at = Math.ceil((start + remaining) / PROMISE_STEP_MINUTES) * PROMISE_STEP_MINUTES;
      // "24:00" reads as midnight of the next day.
      const daysAhead = offset + Math.floor(at / MINUTES_PER_DAY);
      const clock = at % MINUTES_PER_DAY;
      return { weekday: WEEKDAYS[(today + daysAhead) % 7], time: `${pad(Math.floor(clock / 60))}:${pad(clock % 60)}`, daysAhead };
    }
    remaining -= Math.max(0, close - start);
  }
  return null;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
