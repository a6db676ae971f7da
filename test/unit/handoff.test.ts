import { parseConfig } from '../../src/config';
import type { Reply } from '../../src/engine/types';
import {
  assessTurn,
  estimateWaitSeconds,
  isWithinBusinessHours,
  isValidEmail,
  nameIn,
  nextOpening,
  nextStatus,
  replyDeadline,
  pickAgent,
  readOfferAnswer,
  readSentiment,
  stepTicketForm,
  understand,
  type FormReading,
} from '../../src/handoff';
import { TEXTS } from '../../src/handoff/texts';
import { projectEngineHost } from '../helpers/app';

function reply(fields: Partial<Reply>): Reply {
  return {
    action: 'answer',
    lang: 'es',
    id: 'shipping-cost',
    kind: 'faq',
    confidence: 0.9,
    text: '...',
    options: [],
    related: [],
    reason: null,
    candidates: [],
    explanation: { normalized: '', corrections: [], language: { detected: 'es', used: 'es' } },
    ...fields,
  };
}
const strikes = { lowConfidenceStrikes: 2 };

describe('escalation policy', () => {
  test('the human-request and complaint intents hand off, answering first', () => {
    for (const reason of ['human-request', 'complaint']) {
      const decision = assessTurn({ text: 'x', lang: 'es', reply: reply({ action: 'escalate', kind: 'intent', id: reason, reason }), lowConfidenceStreak: 0 }, strikes);
      expect(decision).toEqual({ kind: 'escalate', reason, answerFirst: true, lowConfidenceStreak: 0 });
    }
  });

  test('a FAQ marked escalate hands off after its answer, with the FAQ id as reason', () => {
    const decision = assessTurn({ text: 'me llegó roto', lang: 'es', reply: reply({ action: 'escalate', id: 'damaged-item', reason: 'damaged-item' }), lowConfidenceStreak: 0 }, strikes);
    expect(decision).toMatchObject({ kind: 'escalate', reason: 'faq:damaged-item', answerFirst: true });
  });

  test.each([
    ['es', 'esto es una estafa, pésimo servicio, estoy furioso'],
    ['es', 'estoy muy enojado, es una vergüenza'],
    ['en', 'this is terrible, awful service'],
    ['en', 'you are thieves, I will sue you'],
  ] as const)('anger hands off even when the bot found a FAQ (%s) "%s"', (lang, text) => {
    expect(assessTurn({ text, lang, reply: reply({ lang }), lowConfidenceStreak: 0 }, strikes)).toMatchObject({ kind: 'escalate', reason: 'negative-sentiment', answerFirst: false });
  });

  test.each([
    ['es', '¿cuánto cuesta el envío?'],
    ['es', 'mi pedido no llegó'],
    ['es', 'hay demanda de productos de temporada?'],
    ['es', 'no es horrible, me gustó'],
    ['es', 'no gracias'],
    ['es', 'no, perfecto, gracias'],
    ['es', 'No. Está bien así'],
    ['en', 'no thanks'],
    ['en', 'no, great, thank you'],
    ['en', 'how much is shipping'],
    ['en', 'shipping is a bit slow'],
  ] as const)('ordinary or mildly unhappy messages do not (%s) "%s"', (lang, text) => {
    expect(readSentiment(text, lang).strongNegative).toBe(false);
  });

  test('low confidence twice in a row offers a person; a good answer in between resets the count', () => {
    const low = reply({ action: 'fallback', id: null, confidence: 0.1 });
    const first = assessTurn({ text: 'xyz', lang: 'es', reply: low, lowConfidenceStreak: 0 }, strikes);
    expect(first).toEqual({ kind: 'none', lowConfidenceStreak: 1 });
    expect(assessTurn({ text: 'abc', lang: 'es', reply: reply({ action: 'clarify' }), lowConfidenceStreak: 1 }, strikes)).toEqual({ kind: 'offer', lowConfidenceStreak: 0 });
    expect(assessTurn({ text: 'envío', lang: 'es', reply: reply({}), lowConfidenceStreak: 1 }, strikes)).toEqual({ kind: 'none', lowConfidenceStreak: 0 });
  });

  test('typed answers to the offer', () => {
    expect(readOfferAnswer('si')).toBe('accept');
    expect(readOfferAnswer('si por favor')).toBe('accept');
    expect(readOfferAnswer('yes please')).toBe('accept');
    expect(readOfferAnswer('no gracias')).toBe('decline');
    expect(readOfferAnswer('cuanto cuesta el envio')).toBeNull();
  });
});

describe('conversation states', () => {
  test('bot → waiting → agent → resolved → bot, and an agent may hand back', () => {
    expect(nextStatus('bot', 'request')).toBe('waiting');
    expect(nextStatus('waiting', 'assign')).toBe('agent');
    expect(nextStatus('agent', 'resolve')).toBe('resolved');
    expect(nextStatus('resolved', 'reopen')).toBe('bot');
    expect(nextStatus('agent', 'hand_back')).toBe('bot');
    expect(nextStatus('agent', 'requeue')).toBe('waiting');
  });

  test('nonsense transitions are refused', () => {
    expect(nextStatus('bot', 'assign')).toBeNull();
    expect(nextStatus('resolved', 'resolve')).toBeNull();
    expect(nextStatus('waiting', 'request')).toBeNull();
  });
});

describe('business hours in the shop\'s time zone', () => {
  const { handoff } = parseConfig({});
  test('Monday 10:00 in Mexico City is open, 08:59 and Sunday are not', () => {
    expect(isWithinBusinessHours(new Date('2026-11-23T16:00:00Z'), handoff)).toBe(true); // Mon 10:00 CST
    expect(isWithinBusinessHours(new Date('2026-11-23T14:59:00Z'), handoff)).toBe(false); // Mon 08:59
    expect(isWithinBusinessHours(new Date('2026-11-22T18:00:00Z'), handoff)).toBe(false); // Sun 12:00
  });

  test('the next opening: later today, tomorrow, or after a closed day', () => {
    expect(nextOpening(new Date('2026-11-23T14:00:00Z'), handoff)).toEqual({ date: '2026-11-23', weekday: 'mon', time: '09:00', daysAhead: 0, timeZone: 'America/Mexico_City' }); // Mon 08:00
    expect(nextOpening(new Date('2026-11-24T02:00:00Z'), handoff)).toEqual({ date: '2026-11-24', weekday: 'tue', time: '09:00', daysAhead: 1, timeZone: 'America/Mexico_City' }); // Mon 20:00
    expect(nextOpening(new Date('2026-11-21T21:00:00Z'), handoff)).toEqual({ date: '2026-11-23', weekday: 'mon', time: '09:00', daysAhead: 2, timeZone: 'America/Mexico_City' }); // Sat 15:00
  });

  test('a reply promise in business hours: from now when open, from the next opening when closed', () => {
    const hours = handoff;
    expect(replyDeadline(new Date('2026-11-23T16:00:00Z'), 2, hours)).toEqual({ date: '2026-11-23', weekday: 'mon', time: '12:00', daysAhead: 0, timeZone: 'America/Mexico_City' }); // Mon 10:00
    expect(replyDeadline(new Date('2026-11-23T23:30:00Z'), 2, hours)).toEqual({ date: '2026-11-24', weekday: 'tue', time: '10:30', daysAhead: 1, timeZone: 'America/Mexico_City' }); // Mon 17:30
    expect(replyDeadline(new Date('2026-11-22T04:00:00Z'), 1, hours)).toEqual({ date: '2026-11-23', weekday: 'mon', time: '10:00', daysAhead: 2, timeZone: 'America/Mexico_City' }); // Sat 22:00
    expect(replyDeadline(new Date('2026-11-21T21:00:00Z'), 24, hours)).toEqual({ date: '2026-11-25', weekday: 'wed', time: '15:00', daysAhead: 4, timeZone: 'America/Mexico_City' }); // Sat 15:00
    // Rounded up to the quarter hour: Mon 17:47 + 2 business hours is Tue 10:47, promised as 11:00.
    expect(replyDeadline(new Date('2026-11-23T23:47:00Z'), 2, hours)).toEqual({ date: '2026-11-24', weekday: 'tue', time: '11:00', daysAhead: 1, timeZone: 'America/Mexico_City' });
    expect(replyDeadline(new Date('2026-11-23T16:00:00Z'), 1, { ...handoff, businessHours: {} })).toBeNull();
  });

  test('special days: a holiday is closed, a short day closes early, and promises skip them', () => {
    const holidays = parseConfig({ handoff: { specialDays: { '2026-11-23': 'closed', '2026-11-24': '09:00-13:00' } } }).handoff;
    expect(isWithinBusinessHours(new Date('2026-11-23T16:00:00Z'), holidays)).toBe(false); // Mon 10:00, a holiday
    expect(isWithinBusinessHours(new Date('2026-11-24T19:30:00Z'), holidays)).toBe(false); // Tue 13:30, a short day
    expect(isWithinBusinessHours(new Date('2026-11-24T18:30:00Z'), holidays)).toBe(true); // Tue 12:30
    expect(nextOpening(new Date('2026-11-21T21:00:00Z'), holidays)).toEqual({ date: '2026-11-24', weekday: 'tue', time: '09:00', daysAhead: 3, timeZone: 'America/Mexico_City' }); // Sat 15:00
    // Tue 12:00 + 2 business hours: one hour left on the short day, the other on Wednesday.
    expect(replyDeadline(new Date('2026-11-24T18:00:00Z'), 2, holidays)).toEqual({ date: '2026-11-25', weekday: 'wed', time: '10:00', daysAhead: 1, timeZone: 'America/Mexico_City' });
  });

  test('a closed season: the next opening weeks ahead is named with its date', () => {
    // December 24 to January 6, closed.
    const closed = Object.fromEntries(Array.from({ length: 14 }, (_, i) => [new Date(Date.UTC(2026, 11, 24 + i)).toISOString().slice(0, 10), 'closed']));
    const season = parseConfig({ handoff: { specialDays: closed } }).handoff;
    const opening = nextOpening(new Date('2026-12-23T23:00:00Z'), season); // Wed Dec 23, 17:00: an hour left that day, the next one after the season
    expect(opening).toEqual({ date: '2027-01-07', weekday: 'thu', time: '09:00', daysAhead: 15, timeZone: 'America/Mexico_City' });
    expect(TEXTS.es.closedNow(opening)).toBe('Ahora mismo estamos fuera del horario de atención (volvemos el jueves 7 de enero a las 09:00, hora de Ciudad de México).');
    expect(TEXTS.en.replyBy(replyDeadline(new Date('2026-12-23T23:00:00Z'), 2, season))).toBe('before 10:00 CST on Thursday, January 7');
    expect(TEXTS.es.replyBy(replyDeadline(new Date('2026-11-21T21:00:00Z'), 2, season))).toBe('antes de las 11:00 del lunes (hora de Ciudad de México)');
  });

  test("promised times name the shop's time zone: the shopper may live in another", () => {
    const santiago = parseConfig({ handoff: { timeZone: 'America/Santiago' } }).handoff;
    const saturday = new Date('2026-11-21T21:00:00Z');
    expect(TEXTS.es.closedNow(nextOpening(saturday, santiago))).toMatch(/volvemos el lunes a las 09:00, hora de Chile\)\.$/);
    expect(TEXTS.en.replyBy(replyDeadline(saturday, 2, santiago))).toBe('before 11:00 Chile Time on Monday');
    // Short names get the word: "hora CET", never a bare abbreviation.
    expect(TEXTS.es.replyBy(replyDeadline(saturday, 2, { ...santiago, timeZone: 'Europe/Madrid' }))).toMatch(/\(hora CET\)$/);
  });

  test('special days are checked when the configuration is read', () => {
    expect(() => parseConfig({ handoff: { specialDays: { '2026-02-30': 'closed' } } })).toThrow(/not a date of the calendar/);
    expect(() => parseConfig({ handoff: { specialDays: { '25/12/2026': 'closed' } } })).toThrow(/YYYY-MM-DD/);
    expect(() => parseConfig({ handoff: { specialDays: { '2026-12-24': '14:00-09:00' } } })).toThrow(/opening must come before the closing/);
  });

  test('the same instant can be open in one time zone and closed in another', () => {
    const instant = new Date('2026-11-23T16:00:00Z');
    expect(isWithinBusinessHours(instant, { ...handoff, timeZone: 'America/Mexico_City' })).toBe(true);
    expect(isWithinBusinessHours(instant, { ...handoff, timeZone: 'Asia/Tokyo' })).toBe(false);
  });
});

describe('routing and wait estimates', () => {
  test('the least-loaded agent under capacity; ties go to who came online first', () => {
    const agents = [
      { agentId: 'ana', openChats: 2, onlineSince: '2026-01-01T09:00:00Z' },
      { agentId: 'beto', openChats: 1, onlineSince: '2026-01-01T09:05:00Z' },
      { agentId: 'caro', openChats: 1, onlineSince: '2026-01-01T09:01:00Z' },
    ];
    expect(pickAgent(agents, 3)).toBe('caro');
    expect(pickAgent(agents, 1)).toBeNull();
  });

  test('a free slot means about a minute; otherwise rounds of average chat length', () => {
    expect(estimateWaitSeconds({ position: 1, onlineAgents: 1, freeSlots: 1, averageHandleSeconds: 300 })).toBe(60);
    expect(estimateWaitSeconds({ position: 1, onlineAgents: 1, freeSlots: 0, averageHandleSeconds: 300 })).toBe(360);
    expect(estimateWaitSeconds({ position: 3, onlineAgents: 2, freeSlots: 0, averageHandleSeconds: 300 })).toBe(660);
    expect(estimateWaitSeconds({ position: 1, onlineAgents: 0, freeSlots: 0, averageHandleSeconds: 300 })).toBeNull();
  });
});

describe('leave-a-message form', () => {
  // What the real engine makes of each message, as the service passes it to the form.
  const engineHost = projectEngineHost();
  afterAll(() => engineHost.close());
  const { matching } = parseConfig({});
  const read = (text: string, lang: 'es' | 'en' = 'es'): FormReading => understand(engineHost.current().respond(text, { lang }), matching.answerThreshold);
  const step = (form: Parameters<typeof stepTicketForm>[0], text: string, lang: 'es' | 'en' = 'es') => stepTicketForm(form, text, lang, read(text, lang));

  test('name → e-mail (checked, shown back) → message → ticket', () => {
    expect(step({ step: 'name' }, 'me llamo Ana Pérez')).toMatchObject({ kind: 'ask', form: { step: 'email', name: 'Ana Pérez' } });
    const bad = step({ step: 'email', name: 'Ana' }, 'ana@gmail');
    expect(bad).toMatchObject({ kind: 'ask', form: { step: 'email' }, text: expect.stringContaining('no parece válido') });
    const email = step({ step: 'email', name: 'Ana' }, 'es ana@Example.com.');
    expect(email).toMatchObject({ kind: 'ask', form: { step: 'message', email: 'ana@example.com' }, text: expect.stringContaining('Te escribiremos a ana@example.com') });
    expect(step({ step: 'message', name: 'Ana', email: 'ana@example.com' }, 'Mi pedido 123 llegó incompleto')).toEqual({
      kind: 'done',
      ticket: { name: 'Ana', email: 'ana@example.com', message: 'Mi pedido 123 llegó incompleto' },
    });
  });

  test('a name is never a question: questions, complaints and greetings are not names; names that are also words are', () => {
    for (const text of ['kiero devolver unas zapatillas', 'tienen boleta o factura', '¿hacen envíos?', 'me llego el producto roto', 'cuanto tarda', 'Hola', 'estafa', 'gracias']) {
      expect([text, nameIn(text, read(text))]).toEqual([text, null]);
      expect([text, step({ step: 'name' }, text).kind]).toEqual([text, 'aside']);
    }
    const names: Array<[string, string]> = [
      ['Ana', 'Ana'],
      ['Blanca', 'Blanca'], // also a colour the catalogue matches
      ['Esperanza', 'Esperanza'], // "esperanza" leans to the complaint intent
      ['Tomás', 'Tomás'],
      ['Pedro', 'Pedro'],
      ['María José García López', 'María José García López'],
      ['hola, soy Rosa', 'Rosa'],
      ['me llamo Ana', 'Ana'],
      ["Seán O'Brien", "Seán O'Brien"],
    ];
    for (const [text, name] of names) expect([text, nameIn(text, read(text))]).toEqual([text, name]);
    expect(step({ step: 'name' }, 'ana123')).toMatchObject({ kind: 'ask', form: { step: 'name' }, text: expect.stringContaining('tu nombre') });
  });

  test('asking for a person is a handoff at every step, not an answer', () => {
    expect(step({ step: 'name' }, 'hablar con una persona').kind).toBe('handoff');
    expect(step({ step: 'email', name: 'Ana' }, 'quiero hablar con una persona').kind).toBe('handoff');
    expect(step({ step: 'message', name: 'Ana', email: 'a@b.co' }, 'hablar con una persona').kind).toBe('handoff');
  });

  test('at the e-mail step a question leaves the form; anything else without an address asks again', () => {
    expect(step({ step: 'email', name: 'Ana' }, 'tienen boleta o factura').kind).toBe('aside');
    expect(step({ step: 'email', name: 'Ana' }, 'ana arroba gmail')).toMatchObject({ kind: 'ask', form: { step: 'email' } });
  });

  test('at the message step a lone address corrects the e-mail; anything else is the message', () => {
    expect(step({ step: 'message', name: 'Ana', email: 'an@x.com' }, 'ana@x.com')).toMatchObject({ kind: 'ask', form: { step: 'message', email: 'ana@x.com' } });
    expect(step({ step: 'message', name: 'Ana', email: 'ana@x.com' }, 'tienen boleta o factura')).toMatchObject({ kind: 'done' });
  });

  test('"cancelar" leaves the form at any step', () => {
    expect(step({ step: 'email', name: 'Ana' }, 'cancelar').kind).toBe('cancelled');
    expect(step({ step: 'name' }, 'Cancel', 'en').kind).toBe('cancelled');
  });
});

describe('the one e-mail rule', () => {
  test.each(['ana@x.com', 'ana.perez+pedidos@correo.example.mx', 'j_o-e@sub.dominio.cl', 'A@B.CO'])('accepts %s', (email) => {
    expect(isValidEmail(email)).toBe(true);
  });
  test.each([
    '"<svg/onload=alert(1)>"@x.test',
    '"@x.test',
    '<ana@x.com>',
    'ana@x',
    'ana@@x.com',
    'ana x@x.com',
    '.ana@x.com',
    'ana.@x.com',
    'an..a@x.com',
    'ana@-x.com',
    'ana@x..com',
    "o'brien@x.com",
    `${'a'.repeat(64)}@${'b'.repeat(190)}.com`,
  ])('refuses %s', (email) => {
    expect(isValidEmail(email)).toBe(false);
  });

  test('the form refuses a quoted address instead of keeping part of it', () => {
    const text = '"<svg/onload=alert(1)>"@x.test';
    const result = stepTicketForm({ step: 'email', name: 'Ana' }, text, 'es', { confident: false, matchedTerms: 0, certain: false, humanRequest: false });
    expect(result).toMatchObject({ kind: 'ask', form: { step: 'email', name: 'Ana' }, text: expect.stringContaining('no parece válido') });
  });
});
