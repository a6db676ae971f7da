import type { Browser } from 'playwright-core';
import type { EngineHost } from '../../src/engine';
import { connectAgent } from '../helpers/agent-client';
import { projectEngineHost, startTestServer, type TestServer } from '../helpers/app';
import { collectPageProblems, launchChromium, screenshot } from '../helpers/browser';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildWeb } = require('../../scripts/build-web.js') as { buildWeb: (options: { quiet: boolean }) => Promise<unknown> };

/** The shopper rates the agent's help in the widget, on a phone, with the keyboard only. */

const ALWAYS_OPEN = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, '00:00-24:00']));
let engineHost: EngineHost;
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  await buildWeb({ quiet: true });
  engineHost = projectEngineHost();
  server = await startTestServer({ config: { handoff: { businessHours: ALWAYS_OPEN } }, deps: { engineHost } });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  engineHost?.close();
});

test('375 px: after the agent resolves, the shopper rates 4 of 5 with a comment, by keyboard', async () => {
  const agent = (await connectAgent(server, 'ana@tienda.example', 'Ana')).client;
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'es-MX' });
  const page = await context.newPage();
  const problems = collectPageProblems(page);
  await page.goto(`${server.httpUrl}/`);
  await page.getByRole('button', { name: 'Abrir el chat de ayuda' }).click();
  await page.getByRole('button', { name: 'Hablar con una persona' }).click();
  const conversationId = String((await agent.next('assigned')).conversationId);
  agent.send({ type: 'resolve', conversationId });

  const rate = page.getByRole('group', { name: 'Tu calificación' });
  await rate.waitFor();
  await rate.getByRole('button', { name: '1 de 5' }).focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  expect(await rate.getByRole('button', { name: '4 de 5' }).getAttribute('aria-pressed')).toBe('true');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Muy amable');
  await screenshot(page, 'widget-csat-375');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.getByText('¡Gracias! Calificaste con 4 de 5.').waitFor();

  expect(server.app.store.db.prepare('SELECT rating, comment FROM csat WHERE conversation_id = ?').get(conversationId)).toEqual({ rating: 4, comment: 'Muy amable' });
  expect(problems).toEqual([]);
  await context.close();
  await agent.close();
});
