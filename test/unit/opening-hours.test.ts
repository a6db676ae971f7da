import { describeOpeningHours } from '../../src/handoff/opening-hours';

/** The support-hours answer's `{hours}`: the configured week, so the FAQ and the handoff never disagree. */
describe('opening hours as an answer shows them', () => {
  const week = { mon: '09:00-18:00', tue: '09:00-18:00', wed: '09:00-18:00', thu: '09:00-18:00', fri: '09:00-18:00', sat: '10:00-14:00' };

  it('groups days with the same hours and names the closed ones, in Spanish', () => {
    expect(describeOpeningHours(week, 'America/Mexico_City', 'es')).toBe(
      ['- **Lunes a viernes:** 09:00 a 18:00', '- **Sábado:** 10:00 a 14:00', '- **Domingo:** cerrado', '', 'Horarios según la hora de Ciudad de México.'].join('\n'),
    );
  });

  it('in English, with two-day runs joined by "and" and a gap in the week kept apart', () => {
    const text = describeOpeningHours({ mon: '08:00-20:00', tue: '08:00-20:00', thu: '08:00-20:00', sat: '00:00-24:00', sun: '00:00-24:00' }, 'America/Santiago', 'en');
    expect(text.split('\n\n')[0]).toBe(
      ['- **Monday and Tuesday:** 08:00–20:00', '- **Wednesday:** closed', '- **Thursday:** 08:00–20:00', '- **Friday:** closed', '- **Saturday and Sunday:** 00:00–24:00'].join('\n'),
    );
  });
});
