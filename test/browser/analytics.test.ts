import type { Browser } from 'playwright-core';
import type { EngineHost } from '../../src/engine';
import { hashPassword } from '../../src/auth';
import { csatQuestion } from '../../src/handoff/csat';
import type { Conversation } from '../../src/store';
import { AGENT_PASSWORD, agentCookie } from '../helpers/agent-client';
import { axeViolations } from '../helpers/axe';
import { projectEngineHost, startTestServer, type TestServer } from '../helpers/app';
import { agentPage, collectPageProblems, launchChromium, screenshot } from '../helpers/browser';
import { dbOf } from '../helpers/db';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildWeb } = require('../../scripts/build-web.js') as { buildWeb: (options: { quiet: boolean }) => Promise<unknown> };

/** An admin opens the analytics page in real Chromium over two weeks of seeded chats on a moved clock. */

let now = new Date('2026-11-20T15:00:00Z');
let engineHost: EngineHost;
let server: TestServer;
let browser: Browser;

const FAQS = ['shipping-time', 'shipping-cost', 'returns', 'payment-methods', 'order-tracking', 'installments'];

/** Two weeks, busier towards the end: answered questions, a fallback, handoffs with agents, ratings, tickets. */
async function seed(): Promise<void> {
  const { store } = server.app;
  const agentId = (await store.agents.credentials('alba@tienda.example'))!.agent.id;
  const at = (day: number, minutes: number) => {
    now = new Date(Date.parse('2026-11-20T15:00:00Z') + day * 86_400_000 + minutes * 60_000);
  };
  const ask = async (c: Conversation, text: string, entryId: string | null) => {
    const question = await store.messages.insert({ conversationId: c.id, sender: 'shopper', text, normalized: text, lang: c.lang });
    return await store.messages.insert({ conversationId: c.id, sender: 'bot', text: '…', lang: c.lang, action: entryId ? 'answer' : 'fallback', entryId, confidence: 0.9, replyTo: question.id });
  };
  for (let day = 0; day < 14; day++) {
    const count = 3 + (day % 4) + Math.floor(day / 3);
    for (let i = 0; i < count; i++) {
      at(day, i * 20);
      const c = await store.conversations.create(i % 5 === 4 ? 'en' : 'es');
      const answer = await ask(c, 'pregunta', FAQS[(day + i * i) % FAQS.length]!);
      if (i % 3 === 0) await store.feedback.record(answer.id, c.id, (day + i) % 4 !== 0);
      if (i === 1) await ask(c, 'algo raro', null);
      if (i === 2 || (i === 5 && day % 2 === 0)) {
        at(day, i * 20 + 2);
        await store.handoffs.request(c.id, { reason: i === 2 ? 'human-request' : 'low-confidence', lang: c.lang }, { from: 'bot', to: 'waiting' });
        at(day, i * 20 + 3);
        await store.handoffs.claim(c.id, agentId, { from: 'waiting', to: 'agent' });
        at(day, i * 20 + 4 + (day % 5));
        await store.messages.insert({ conversationId: c.id, sender: 'agent', text: 'Hola, te ayudo', lang: c.lang, authorName: 'Alba' });
        at(day, i * 20 + 12 + day);
        await store.handoffs.release(c.id, { outcome: 'resolved', heldBy: agentId }, { from: 'agent', to: 'resolved' });
        const request = await store.messages.insert({ conversationId: c.id, sender: 'bot', text: csatQuestion(c.lang).text, lang: c.lang, options: csatQuestion(c.lang).options });
        await store.csat.record({ requestId: request.id, conversationId: c.id, rating: 2 + ((day + i) % 4), comment: null });
      }
      if (i === 3 && day % 3 === 0) {
        const ticket = await store.tickets.create({ conversationId: c.id, name: 'Rosa', email: 'rosa@example.com', message: 'Mi pedido', lang: c.lang, reason: 'button' });
        at(day, i * 20 + 90);
        if (day % 2 === 0) await store.tickets.recordAnswer(ticket.id, agentId, []);
      }
    }
  }
  now = new Date('2026-12-03T22:00:00Z');
}

beforeAll(async () => {
  await buildWeb({ quiet: true });
  engineHost = projectEngineHost();
  server = await startTestServer({ deps: { engineHost, clock: () => now } });
  await server.app.store.agents.create({ email: 'alba@tienda.example', name: 'Alba', role: 'admin', passwordHash: hashPassword(AGENT_PASSWORD) });
  await seed();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  engineHost?.close();
});

test('an admin sees the figures, tables and SVG charts; the filters work by keyboard; axe finds nothing serious', async () => {
  const cookie = await agentCookie(server, 'alba@tienda.example');
  const page = await agentPage(browser, server, cookie);
  await page.setViewportSize({ width: 1280, height: 1800 });
  const problems = collectPageProblems(page);
  await page.goto(`${server.httpUrl}/agent/analytics?from=2026-11-20&to=2026-12-03`);

  const summary = page.getByRole('region', { name: /^Resumen del/ });
  await summary.waitFor();
  const expected = dbOf(server.app.store).prepare("SELECT count(*) AS n FROM conversations WHERE created_at >= '2026-11-20T06:00:00.000Z'").get() as { n: number };
  await expect(summary.locator('.card').first().textContent()).resolves.toContain(`Conversaciones${new Intl.NumberFormat('es-MX').format(expected.n)}`);
  // The charts are drawn from the tables: one bar per seeded day, with a title a screen reader reads.
  const daysChart = page.getByRole('img', { name: /^Conversaciones por día/ });
  await daysChart.waitFor();
  expect(await daysChart.locator('rect').count()).toBeGreaterThanOrEqual(14);
  expect(await daysChart.locator('rect title').first().textContent()).toMatch(/^vie, 20 de nov de 2026 — Resueltas por el bot: \d+$/);
  await page.getByRole('img', { name: 'Distribución de calificaciones de 1 a 5' }).waitFor();
  await page.getByRole('img', { name: 'Preguntas frecuentes más respondidas' }).waitFor();
  expect(await page.getByRole('table').count()).toBe(7);
  await screenshot(page, 'analytics-admin');
  await page.getByRole('heading', { name: 'Satisfacción (CSAT)' }).scrollIntoViewIfNeeded();
  await screenshot(page, 'analytics-admin-lower');

  // Keyboard only: choose English and apply.
  await page.getByLabel('Idioma de las conversaciones').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.getByRole('button', { name: 'Aplicar' }).focus();
  await Promise.all([page.waitForURL(/lang=en/), page.keyboard.press('Enter')]);
  await expect(page.getByRole('heading', { level: 2, name: /· Inglés$/ }).textContent()).resolves.toMatch(/^Resumen del vie, 20 de nov de 2026 al jue, 3 de dic de 2026/);

  const violations = await axeViolations(page);
  expect(violations).toEqual([]);

  // The team bar's language switch: the page comes back in English, charts included.
  await Promise.all([page.waitForEvent('load'), page.locator('select[data-lang-switch]').selectOption('en')]);
  await page.getByRole('heading', { level: 1, name: 'Analytics' }).waitFor();
  await page.getByRole('img', { name: /^Conversations per day/ }).waitFor();
  expect(await page.getByRole('img', { name: /^Conversations per day/ }).locator('rect title').first().textContent()).toMatch(/^[A-Z][a-z]{2}, Nov \d+, 2026 — Solved by the bot: \d+$/);
  await screenshot(page, 'analytics-admin-en');

  // On a phone the page reflows: nothing wider than the screen but the tables' own scrolling regions.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${server.httpUrl}/agent/analytics?from=2026-11-20&to=2026-12-03`);
  await page.getByRole('img', { name: /^Conversations per day/ }).waitFor();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await screenshot(page, 'analytics-admin-phone');
  expect(problems).toEqual([]);
  await page.context().close();
});
