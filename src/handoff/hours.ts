import type { HandoffConfig } from '../config';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
type Weekday = (typeof WEEKDAYS)[number];

interface LocalTime {
  weekday: Weekday;
  minutes: number;
}

/** Weekday and minutes since midnight at `now` in the shop's time zone (DST handled by Intl). */
export function localTime(now: Date, timeZone: string): LocalTime {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
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

/** The next opening as the shop would say it ("lunes 09:00"), or null when no day has hours. */
export function nextOpening(now: Date, config: Pick<HandoffConfig, 'timeZone' | 'businessHours'>): { weekday: Weekday; time: string } | null {
  const { weekday, minutes } = localTime(now, config.timeZone);
  const today = WEEKDAYS.indexOf(weekday);
  for (let offset = 0; offset <= 7; offset++) {
    const day = WEEKDAYS[(today + offset) % 7];
    const range = config.businessHours[day];
    if (!range) continue;
    const [open] = parseRange(range);
    if (offset === 0 && minutes >= open) continue;
    return { weekday: day, time: range.slice(0, 5) };
  }
  return null;
}
