import type { Lang } from '../knowledge/types';
import { DAY_NAMES, zoneName } from './texts';

const WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Weekday = (typeof WEEK)[number];

const WORDS: Record<Lang, { through: string; and: string; closed: string; to: string; zone: (zone: string) => string }> = {
  es: { through: ' a ', and: ' y ', closed: 'cerrado', to: ' a ', zone: (zone) => `Horarios según la ${zone}.` },
  en: { through: ' to ', and: ' and ', closed: 'closed', to: '–', zone: (zone) => `Times are ${zone}.` },
};

/**
 * The shop's weekly hours as a markdown list for the `{hours}` of an answer, from the same
 * `handoff.businessHours` that decides when people are online, so the support-hours FAQ never says
 * otherwise: "- **Lunes a viernes:** 09:00 a 18:00", days with the same hours grouped, days without
 * hours closed, then the time zone.
 */
export function describeOpeningHours(hours: Partial<Record<Weekday, string>>, timeZone: string, lang: Lang): string {
  const words = WORDS[lang];
  const runs: Array<{ days: Weekday[]; range: string | undefined }> = [];
  for (const day of WEEK) {
    const last = runs.at(-1);
    if (last && last.range === hours[day]) last.days.push(day);
    else runs.push({ days: [day], range: hours[day] });
  }
  const lines = runs.map(({ days, range }) => {
    const [first, end] = [DAY_NAMES[lang][days[0]!]!, DAY_NAMES[lang][days.at(-1)!]!];
    const name = days.length === 1 ? first : `${first}${days.length === 2 ? words.and : words.through}${end}`;
    const when = range ? range.replace('-', words.to) : words.closed;
    return `- **${name.charAt(0).toUpperCase()}${name.slice(1)}:** ${when}`;
  });
  return `${lines.join('\n')}\n\n${words.zone(zoneName({ timeZone }, lang))}`;
}
