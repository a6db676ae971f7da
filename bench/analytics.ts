/**
 * The analytics page's queries on a year of a busy shop: a fresh SQLite file seeded through the store's
 * own functions on a moved clock, then every figure for 7, 30 and 366 days, timed.
 *
 *   npm run bench:analytics -- [--per-day 200] [--runs 5]
 *
 * Per day: `--per-day` conversations, each a typed question and the bot's answer (one in ten also a
 * fallback), one in ten handed to an agent who replies and resolves (and is rated), one in thirty a
 * ticket, one in ten answers with a thumb. The last line is one JSON object.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collectFigures, parseAnalyticsQuery } from '../src/analytics';
import { openStore } from '../src/store';
import { parseArgs, percentile, round } from './stats';

const USAGE = 'usage: npm run bench:analytics -- [--per-day N] [--runs N]';
const ZONE = 'America/Mexico_City';
const DAYS = 366;
const FAQS = ['shipping-time', 'shipping-cost', 'returns', 'refunds', 'payment-methods', 'order-tracking', 'installments', 'invoice'];

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), { 'per-day': 'value', runs: 'value' }, USAGE);
  const perDay = Number(args.get('per-day') ?? 200);
  const runs = Number(args.get('runs') ?? 5);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atento-bench-analytics-'));
  let now = new Date('2025-12-01T12:00:00Z');
  const store = openStore(path.join(dir, 'atento.db'), () => now);
  const agentId = (await store.agents.create({ email: 'ana@tienda.example', name: 'Ana', role: 'agent', passwordHash: 'unused' })).id;

  const seedStarted = performance.now();
  for (let day = 0; day < DAYS; day++) {
    // One commit per day: every write below is issued before the group's commit (all awaits are microtasks).
    store.groupWrites();
    {
      for (let i = 0; i < perDay; i++) {
        const at = (seconds: number) => {
          now = new Date(Date.parse('2025-12-01T12:00:00Z') + day * 86_400_000 + i * 200_000 + seconds * 1000);
        };
        at(0);
        const lang = i % 4 === 3 ? 'en' : 'es';
        const c = await store.conversations.create(lang);
        const ask = async (text: string, entryId: string | null) => {
          const question = await store.messages.insert({ conversationId: c.id, sender: 'shopper', text, normalized: text, lang });
          return store.messages.insert({ conversationId: c.id, sender: 'bot', text: '…', lang, action: entryId ? 'answer' : 'fallback', entryId, replyTo: question.id });
        };
        if (i % 10 === 1) await ask('algo que nadie contestó', null);
        const answer = await ask('¿cuánto tarda el envío?', FAQS[(day + i) % FAQS.length]!);
        if (i % 10 === 2) await store.feedback.record(answer.id, c.id, i % 20 !== 2);
        if (i % 10 === 5) {
          at(30);
          await store.handoffs.request(c.id, { reason: 'human-request', lang }, { from: 'bot', to: 'waiting' });
          at(60 + (i % 7) * 20);
          await store.handoffs.claim(c.id, agentId, { from: 'waiting', to: 'agent' });
          at(90 + (i % 7) * 20);
          await store.messages.insert({ conversationId: c.id, sender: 'agent', text: 'Hola', lang, authorName: 'Ana' });
          at(400 + (i % 11) * 30);
          await store.handoffs.release(c.id, { outcome: 'resolved', heldBy: agentId }, { from: 'agent', to: 'resolved' });
          const request = await store.messages.insert({ conversationId: c.id, sender: 'bot', text: '¿Cómo te atendimos?', lang, options: [] });
          await store.csat.record({ requestId: request.id, conversationId: c.id, rating: 1 + (i % 5), comment: null });
        }
        if (i % 30 === 7) {
          const ticket = await store.tickets.create({ conversationId: c.id, name: 'Rosa', email: 'rosa@example.com', message: 'Hola', lang, reason: 'button' });
          at(3600 + (i % 13) * 60);
          await store.tickets.recordAnswer(ticket.id, agentId, []);
        }
      }
    }
    await new Promise<void>((committed) => store.afterCommit(committed));
  }
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const counts = store.db.prepare('SELECT (SELECT count(*) FROM conversations) AS conversations, (SELECT count(*) FROM messages) AS messages').get() as { conversations: number; messages: number };

  const queries = store.analytics;
  const timings: Record<string, { p50Ms: number; maxMs: number; longestPauseMs: number; conversations: number }> = {};
  for (const [label, from] of [['7 days', '2026-11-25'], ['30 days', '2026-11-02'], ['366 days', '2025-12-01']] as const) {
    const parsed = parseAnalyticsQuery({ from, to: '2026-12-01' }, { timeZone: ZONE, now: new Date('2026-12-02T12:00:00Z') });
    if (!parsed.ok) throw new Error(parsed.message);
    const times: number[] = [];
    let conversations = 0;
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      const figures = await queries.figures(parsed.period);
      times.push(performance.now() - started);
      conversations = figures.days.reduce((sum, d) => sum + d.conversations, 0);
    }
    times.sort((a, b) => a - b);
    // As the server runs it: the per-day counts a month at a time; the longest the event loop waited.
    let last = performance.now();
    let longest = 0;
    const ticker = setInterval(() => {
      longest = Math.max(longest, performance.now() - last);
      last = performance.now();
    }, 1);
    await collectFigures(queries, parsed.period);
    await new Promise((resolve) => setTimeout(resolve, 5));
    clearInterval(ticker);
    const longestPauseMs = round(longest, 1);
    timings[label] = { p50Ms: round(percentile(times, 0.5), 1), maxMs: round(times.at(-1)!, 1), longestPauseMs, conversations };
    console.log(`${label}: ${conversations} conversations, all figures in ${timings[label].p50Ms} ms (p50 of ${runs}), max ${timings[label].maxMs} ms; served in slices, the longest event-loop pause ${longestPauseMs} ms`);
  }
  const bytes = fs.statSync(path.join(dir, 'atento.db')).size;
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(JSON.stringify({ ...counts, seedSeconds: round(seedSeconds, 1), databaseMb: round(bytes / 1024 / 1024, 1), timings }));
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
