import fs from 'node:fs';
import { buildReport, collectFigures, parseAnalyticsQuery, startOfDay, type AnalyticsFilters, type ReportContext } from '../../src/analytics';
import { csatQuestion } from '../../src/handoff/csat';
import type { Lang } from '../../src/knowledge/types';
import { normalize } from '../../src/nlp';
import type { Conversation, SqliteStore, Store } from '../../src/store';
import { BACKEND, openTestStore } from '../helpers/stores';

/**
 * Known conversations, written through the store's own functions on a moved clock into a real database
 * (a SQLite file under `npm test`, PostgreSQL under `npm run test:pg`), and every figure of the analytics
 * page checked by hand. The shop is in Mexico City (UTC−6).
 */

const ZONE = 'America/Mexico_City';
let now = new Date('2026-03-01T00:00:00Z');
let store: Store;
let agentId: string;

const at = (iso: string) => {
  now = new Date(iso);
};

async function conversation(lang: Lang, iso: string): Promise<Conversation> {
  at(iso);
  return await store.conversations.create(lang);
}

/** A typed shopper message and the bot's reply to it (none: the bot did not answer, e.g. a form). */
async function ask(c: Conversation, text: string, iso: string, reply?: { action: 'answer' | 'clarify' | 'fallback' | 'escalate'; entryId?: string }) {
  at(iso);
  const question = await store.messages.insert({ conversationId: c.id, sender: 'shopper', text, lang: c.lang, normalized: normalize(text) });
  if (!reply) return null;
  return await store.messages.insert({ conversationId: c.id, sender: 'bot', text: '…', lang: c.lang, action: reply.action, entryId: reply.entryId ?? null, confidence: 0.8, replyTo: question.id });
}

/** A click on a button: a shopper message that is not a typed question. */
async function click(c: Conversation, iso: string) {
  at(iso);
  await store.messages.insert({ conversationId: c.id, sender: 'shopper', text: 'Dejar un mensaje', lang: c.lang, normalized: null });
}

async function handoff(c: Conversation, reason: string, times: { requested: string; claimed: string; note?: string; replied: string; resolved: string }) {
  at(times.requested);
  expect(await store.handoffs.request(c.id, { reason, lang: c.lang }, { from: 'bot', to: 'waiting' })).not.toBeNull();
  at(times.claimed);
  expect(await store.handoffs.claim(c.id, agentId, { from: 'waiting', to: 'agent' })).toBe('ok');
  if (times.note) {
    at(times.note);
    await store.messages.insert({ conversationId: c.id, sender: 'agent', kind: 'note', text: 'revisar pedido', lang: c.lang, authorName: 'Ana' });
  }
  at(times.replied);
  await store.messages.insert({ conversationId: c.id, sender: 'agent', text: 'Hola, soy Ana', lang: c.lang, authorName: 'Ana' });
  at(times.resolved);
  expect(await store.handoffs.release(c.id, { outcome: 'resolved', heldBy: agentId }, { from: 'agent', to: 'resolved' })).toBe(true);
}

async function rate(c: Conversation, rating: number, iso: string) {
  at(iso);
  const question = await store.messages.insert({ conversationId: c.id, sender: 'bot', text: csatQuestion(c.lang).text, lang: c.lang, options: csatQuestion(c.lang).options });
  await store.csat.record({ requestId: question.id, conversationId: c.id, rating, comment: null });
}

async function ticket(c: Conversation, reason: string, iso: string) {
  at(iso);
  return await store.tickets.create({ conversationId: c.id, name: 'Rosa', email: 'rosa@example.com', message: 'Mi pedido no llegó', lang: c.lang, reason });
}

beforeAll(async () => {
  ({ store } = await openTestStore(() => now));
  agentId = (await store.agents.create({ email: 'ana@tienda.example', name: 'Ana', role: 'agent', passwordHash: 'unused' })).id;

  // Before the range: 23:00 on 28 February in Mexico City.
  await ask(await conversation('es', '2026-03-01T05:00:00Z'), '¿hacen envíos?', '2026-03-01T05:00:10Z', { action: 'answer', entryId: 'shipping-time' });

  // 1 March (local): four conversations with a shopper message, two of them never reach a person.
  const c1 = await conversation('es', '2026-03-01T15:00:00Z');
  const c1Answer = (await ask(c1, '¿cuánto tarda el envío?', '2026-03-01T15:00:05Z', { action: 'answer', entryId: 'shipping-time' }))!;
  await store.feedback.record(c1Answer.id, c1.id, true);

  const c2 = await conversation('es', '2026-03-01T16:00:00Z');
  await ask(c2, 'mi paquete llegó mojado', '2026-03-01T16:00:05Z', { action: 'fallback' });
  const c2Answer = (await ask(c2, '¿cuánto cuesta el envío?', '2026-03-01T16:01:00Z', { action: 'answer', entryId: 'shipping-cost' }))!;
  await store.feedback.record(c2Answer.id, c2.id, false);
  await handoff(c2, 'low-confidence', { requested: '2026-03-01T16:05:00Z', claimed: '2026-03-01T16:06:00Z', replied: '2026-03-01T16:07:00Z', resolved: '2026-03-01T16:15:00Z' });
  await rate(c2, 5, '2026-03-01T16:16:00Z');

  const c3 = await conversation('en', '2026-03-01T17:00:00Z');
  await ask(c3, 'where is my order', '2026-03-01T17:00:05Z', { action: 'clarify', entryId: 'order-status' });
  // The private note at 17:03 is not a reply to the shopper: the wait runs to 17:11.
  await handoff(c3, 'human-request', { requested: '2026-03-01T17:01:00Z', claimed: '2026-03-01T17:02:00Z', note: '2026-03-01T17:03:00Z', replied: '2026-03-01T17:11:00Z', resolved: '2026-03-01T17:21:00Z' });
  await rate(c3, 3, '2026-03-01T17:22:00Z');

  await conversation('es', '2026-03-01T18:00:00Z'); // the widget opened, nothing written: not a conversation

  // 23:30 on 1 March in Mexico City, already 2 March in UTC.
  await ask(await conversation('es', '2026-03-02T05:30:00Z'), 'tiempo de envio', '2026-03-02T05:30:05Z', { action: 'answer', entryId: 'shipping-time' });

  // 2 March (local): five conversations, one contained.
  const c6 = await conversation('es', '2026-03-02T14:00:00Z');
  await ask(c6, 'quiero hablar con alguien', '2026-03-02T14:00:05Z', { action: 'escalate', entryId: 'human-request' });
  const c6Ticket = await ticket(c6, 'button', '2026-03-02T14:05:00Z');
  at('2026-03-02T16:05:00Z');
  await store.tickets.recordAnswer(c6Ticket.id, agentId, []);
  expect((await store.tickets.get(c6Ticket.id))!.status).toBe('answered');
  await rate(c6, 4, '2026-03-02T16:05:00Z');

  const c7 = await conversation('en', '2026-03-02T15:00:00Z');
  await ask(c7, 'I want to complain', '2026-03-02T15:00:05Z', { action: 'escalate', entryId: 'complaint' });
  await handoff(c7, 'complaint', { requested: '2026-03-02T15:00:30Z', claimed: '2026-03-02T15:01:00Z', replied: '2026-03-02T15:01:30Z', resolved: '2026-03-02T15:11:00Z' });
  await rate(c7, 1, '2026-03-02T15:12:00Z');

  const c8 = await conversation('es', '2026-03-02T16:00:00Z');
  await click(c8, '2026-03-02T16:00:05Z');
  const c8Ticket = await ticket(c8, 'low-confidence', '2026-03-02T16:10:00Z');
  at('2026-03-02T18:00:00Z');
  expect(await store.tickets.close(c8Ticket.id, agentId)).toBe(true);

  const c9 = await conversation('es', '2026-03-02T17:00:00Z');
  await click(c9, '2026-03-02T17:00:05Z');
  await ticket(c9, 'button', '2026-03-02T17:10:00Z');

  await ask(await conversation('en', '2026-03-02T20:00:00Z'), 'hello', '2026-03-02T20:00:05Z', { action: 'answer', entryId: 'greeting' });

  // After the range: 01:00 on 3 March in Mexico City.
  await ask(await conversation('es', '2026-03-03T07:00:00Z'), 'no entiendo', '2026-03-03T07:00:05Z', { action: 'fallback' });
});

afterAll(async () => await store.close());

async function figures(query: Record<string, string>) {
  const parsed = parseAnalyticsQuery(query, { timeZone: ZONE, now: new Date('2026-03-10T12:00:00Z') });
  if (!parsed.ok) throw new Error(parsed.message);
  return { figures: await store.analytics.figures(parsed.period), filters: parsed.filters };
}

const context: ReportContext = {
  lang: 'es',
  describe: (id) => ({ title: id, faq: id !== 'greeting' && id !== 'human-request' && id !== 'complaint' }),
  reasonLabel: (reason) => `motivo ${reason}`,
};

test('both days, both languages: every figure', async () => {
  const { figures: f, filters } = await figures({ from: '2026-03-01', to: '2026-03-02' });
  expect(f.days).toEqual([
    { day: '2026-03-01', conversations: 4, contained: 2 },
    { day: '2026-03-02', conversations: 5, contained: 1 },
  ]);
  expect(f.reasons).toEqual([
    { reason: 'button', handoffs: 0, tickets: 2 },
    { reason: 'low-confidence', handoffs: 1, tickets: 1 },
    { reason: 'complaint', handoffs: 1, tickets: 0 },
    { reason: 'human-request', handoffs: 1, tickets: 0 },
  ]);
  expect(f.handoffs).toBe(3);
  // Waits 120 s, 600 s, 60 s: median 120; p90 interpolates 80% of the way from 120 to 600.
  expect(f.firstReply).toEqual({ count: 3, p50: 120, p90: 504 });
  // Claim → resolve: 540 s, 1140 s, 600 s.
  expect(f.handling).toEqual({ count: 3, p50: 600, p90: 1032 });
  expect(f.csat).toEqual([1, 0, 1, 1, 1]);
  expect(f.entries).toEqual([
    { entryId: 'shipping-time', answers: 2, helpful: 1, unhelpful: 0 },
    { entryId: 'greeting', answers: 1, helpful: 0, unhelpful: 0 },
    { entryId: 'shipping-cost', answers: 1, helpful: 0, unhelpful: 1 },
  ]);
  expect({ questions: f.questions, fallbacks: f.fallbacks, clarifications: f.clarifications }).toEqual({ questions: 8, fallbacks: 1, clarifications: 1 });
  expect(f.tickets).toEqual({ opened: 3, answered: 1, closedUnanswered: 1, open: 1, timeToAnswer: { count: 1, p50: 7200, p90: 7200 } });

  const report = buildReport(f, filters, context);
  expect(report.summary).toMatchObject({ conversations: 9, contained: 3, handoffs: 3, csatAverage: 3.25, csatCount: 4, unansweredRate: 0.125 });
  expect(report.summary.containment).toBeCloseTo(1 / 3, 10);
  // Intents (a greeting) are not FAQs; feedback lists the disliked first.
  expect(report.tables.faqs.rows.map((row) => [row.entryId, row.answers])).toEqual([['shipping-time', 2], ['shipping-cost', 1]]);
  expect(report.tables.feedback.rows).toEqual([
    { entryId: 'shipping-cost', title: 'shipping-cost', helpful: 0, unhelpful: 1, helpfulShare: 0 },
    { entryId: 'shipping-time', title: 'shipping-time', helpful: 1, unhelpful: 0, helpfulShare: 1 },
  ]);
  expect(report.tables.csat.rows.map((row) => row.share)).toEqual([0.25, 0, 0.25, 0.25, 0.25]);
  expect(report.tables.reasons.rows.map((row) => row.label)).toEqual(['motivo button', 'motivo low-confidence', 'motivo complaint', 'motivo human-request']);
  expect(buildReport(f, filters, { ...context, lang: 'en' }).tables.times.rows.map((row) => row.label)).toEqual([
    'Wait for an agent’s first reply',
    'Handling (from taking the chat to resolving it)',
    'E-mail answer to tickets',
  ]);
});

test('language filter: English only', async () => {
  const { figures: f } = await figures({ from: '2026-03-01', to: '2026-03-02', lang: 'en' });
  expect(f.days).toEqual([
    { day: '2026-03-01', conversations: 1, contained: 0 },
    { day: '2026-03-02', conversations: 2, contained: 1 },
  ]);
  expect(f.reasons).toEqual([
    { reason: 'complaint', handoffs: 1, tickets: 0 },
    { reason: 'human-request', handoffs: 1, tickets: 0 },
  ]);
  expect(f.firstReply).toEqual({ count: 2, p50: 330, p90: 546 });
  expect(f.csat).toEqual([1, 0, 1, 0, 0]);
  expect({ questions: f.questions, fallbacks: f.fallbacks, clarifications: f.clarifications }).toEqual({ questions: 3, fallbacks: 0, clarifications: 1 });
  expect(f.tickets.opened).toBe(0);
  expect(f.entries).toEqual([{ entryId: 'greeting', answers: 1, helpful: 0, unhelpful: 0 }]);
});

test('date filter: 2 March only, Spanish; days are the shop\'s days, not UTC\'s', async () => {
  const { figures: f } = await figures({ from: '2026-03-02', to: '2026-03-02', lang: 'es' });
  expect(f.days).toEqual([{ day: '2026-03-02', conversations: 3, contained: 0 }]);
  expect(f.handoffs).toBe(0);
  expect(f.firstReply).toEqual({ count: 0, p50: null, p90: null });
  expect(f.csat).toEqual([0, 0, 0, 1, 0]);
  expect(f.tickets).toMatchObject({ opened: 3, answered: 1, closedUnanswered: 1, open: 1 });
  // 05:30 UTC on 2 March was still 1 March in Mexico City.
  expect((await figures({ from: '2026-03-01', to: '2026-03-01', lang: 'es' })).figures.entries).toEqual([
    { entryId: 'shipping-time', answers: 2, helpful: 1, unhelpful: 0 },
    { entryId: 'shipping-cost', answers: 1, helpful: 0, unhelpful: 1 },
  ]);
  const empty = (await figures({ from: '2025-01-01', to: '2025-01-03' })).figures;
  expect(empty.days.map((day) => day.conversations)).toEqual([0, 0, 0]);
  expect(buildReport(empty, {} as AnalyticsFilters, context).summary).toMatchObject({ containment: null, csatAverage: null, unansweredRate: null });
});

test('a shopper the bot tried to hand to a person is not contained, even with no handoff or ticket (nobody on duty, form left half-way)', async () => {
  const abandoned = await conversation('es', '2025-06-10T16:00:00Z');
  await ask(abandoned, 'quiero hablar con una persona', '2025-06-10T16:00:05Z', { action: 'escalate', entryId: 'human-request' });
  await ask(abandoned, 'Rosa', '2025-06-10T16:00:30Z');
  await ask(await conversation('es', '2025-06-10T17:00:00Z'), '¿hacen envíos?', '2025-06-10T17:00:05Z', { action: 'answer', entryId: 'shipping-time' });
  expect((await figures({ from: '2025-06-10', to: '2025-06-10' })).figures.days).toEqual([{ day: '2025-06-10', conversations: 2, contained: 1 }]);
});

test('as the server collects them (a month of days per query, turns of the event loop between), the figures are the same', async () => {
  const parsed = parseAnalyticsQuery({ from: '2026-02-01', to: '2026-03-12' }, { timeZone: ZONE, now: new Date('2026-03-12T12:00:00Z') });
  if (!parsed.ok) throw new Error(parsed.message);
  const collected = await collectFigures(store.analytics, parsed.period);
  expect(collected).toEqual(await store.analytics.figures(parsed.period));
  expect(collected.days).toHaveLength(40);
  // The 9 conversations of 1–2 March, the one of 28 February and the one of 3 March (local days).
  expect(collected.days.reduce((sum, day) => sum + day.conversations, 0)).toBe(11);
  expect(collected.days.find((day) => day.day === '2026-02-28')).toEqual({ day: '2026-02-28', conversations: 1, contained: 1 });
});

test('days across a daylight-saving change have their real length', async () => {
  // Madrid moved its clocks forward at 02:00 on 29 March 2026: that day has 23 hours.
  const start = startOfDay('2026-03-29', 'Europe/Madrid');
  const end = startOfDay('2026-03-30', 'Europe/Madrid');
  expect(start.toISOString()).toBe('2026-03-28T23:00:00.000Z');
  expect(end.toISOString()).toBe('2026-03-29T22:00:00.000Z');
  expect(startOfDay('2026-03-01', ZONE).toISOString()).toBe('2026-03-01T06:00:00.000Z');
});

test('query errors say which parameter and what to send', async () => {
  const parse = (query: Record<string, unknown>) => parseAnalyticsQuery(query, { timeZone: ZONE, now: new Date('2026-03-10T12:00:00Z') });
  expect(parse({ from: '2026-02-30' })).toEqual({ ok: false, message: '"from": is not a day of the calendar' });
  expect(parse({ to: '03/01/2026' })).toEqual({ ok: false, message: '"to": use a date as YYYY-MM-DD, e.g. 2026-12-01' });
  expect(parse({ from: '2026-03-05', to: '2026-03-01' })).toEqual({ ok: false, message: '"from" (2026-03-05) is after "to" (2026-03-01)' });
  expect(parse({ from: '2024-01-01', to: '2026-01-01' })).toEqual({ ok: false, message: 'the range is 732 days; at most 366 at a time' });
  expect(parse({ lang: 'fr' })).toMatchObject({ ok: false, message: expect.stringMatching(/^"lang": /) });
  expect(parse({ form: '2026-03-01' })).toEqual({ ok: false, message: 'unknown parameter "form"; use from, to, lang, format' });
  expect(parse({ from: ['2026-03-01', '2026-03-02'] })).toMatchObject({ ok: false, message: expect.stringMatching(/^"from": /) });
  // Defaults: the last 30 days up to today in the shop's zone.
  const defaults = parse({});
  expect(defaults.ok && defaults.filters).toEqual({ from: '2026-02-09', to: '2026-03-10', lang: 'all', timeZone: ZONE });
});

// What only SQLite has: the file on disk, and its query planner.
(BACKEND === 'sqlite' ? describe : describe.skip)('on SQLite', () => {
  const sqlite = () => store as SqliteStore;

  test('the figures come from a real file', () => {
    expect(fs.existsSync(sqlite().db.name)).toBe(true);
  });

  test('every query runs on an index, never a scan of a table', async () => {
    for (const [name, statement] of Object.entries(sqlite().analytics.statements)) {
      const plan = sqlite().db.prepare(`EXPLAIN QUERY PLAN ${statement.source}`).all({ from: 'a', to: 'b', lang: null, days: '[]' }) as Array<{ detail: string }>;
      const scans = plan.map((row) => row.detail).filter((detail) => detail.startsWith('SCAN ') && !/^SCAN (json_each|\(subquery|handoff$)/.test(detail));
      expect({ name, scans }).toEqual({ name, scans: [] });
      expect(plan.some((row) => /USING (COVERING )?INDEX/.test(row.detail))).toBe(true);
    }
  });
});
