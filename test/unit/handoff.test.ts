import { parseConfig } from '../../src/config';
import type { Reply } from '../../src/engine/types';
import {
  assessTurn,
  estimateWaitSeconds,
  isWithinBusinessHours,
  nextOpening,
  nextStatus,
  pickAgent,
  readOfferAnswer,
  readSentiment,
  stepTicketForm,
} from '../../src/handoff';

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
    expect(nextOpening(new Date('2026-11-23T14:00:00Z'), handoff)).toEqual({ weekday: 'mon', time: '09:00' }); // Mon 08:00
    expect(nextOpening(new Date('2026-11-24T02:00:00Z'), handoff)).toEqual({ weekday: 'tue', time: '09:00' }); // Mon 20:00
    expect(nextOpening(new Date('2026-11-21T21:00:00Z'), handoff)).toEqual({ weekday: 'mon', time: '09:00' }); // Sat 15:00
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
  test('name → e-mail (checked) → message → ticket', () => {
    const name = stepTicketForm({ step: 'name' }, 'me llamo Ana Pérez', 'es');
    expect(name).toMatchObject({ kind: 'ask', form: { step: 'email', name: 'Ana Pérez' } });
    const bad = stepTicketForm({ step: 'email', name: 'Ana' }, 'ana@gmail', 'es');
    expect(bad).toMatchObject({ kind: 'ask', form: { step: 'email' }, text: expect.stringContaining('no parece válido') });
    const email = stepTicketForm({ step: 'email', name: 'Ana' }, 'es ana@Example.com.', 'es');
    expect(email).toMatchObject({ kind: 'ask', form: { step: 'message', email: 'ana@example.com' } });
    expect(stepTicketForm({ step: 'message', name: 'Ana', email: 'ana@example.com' }, 'Mi pedido 123 llegó incompleto', 'es')).toEqual({
      kind: 'done',
      ticket: { name: 'Ana', email: 'ana@example.com', message: 'Mi pedido 123 llegó incompleto' },
    });
  });

  test('"cancelar" leaves the form at any step', () => {
    expect(stepTicketForm({ step: 'email', name: 'Ana' }, 'cancelar', 'es').kind).toBe('cancelled');
    expect(stepTicketForm({ step: 'name' }, 'Cancel', 'en').kind).toBe('cancelled');
  });
});
