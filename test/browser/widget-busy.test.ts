import type { Browser, Page } from 'playwright-core';
import type { EngineHost } from '../../src/engine';
import { projectEngineHost, startTestServer } from '../helpers/app';
import { collectPageProblems, launchChromium, screenshot } from '../helpers/browser';
import { dbOf } from '../helpers/db';

const { buildWeb } = require('../../scripts/build-web.js') as { buildWeb: (options: { quiet: boolean }) => Promise<unknown> };

/**
 * The widget under load shedding: the server takes one turn at a time (limits.maxPendingTurns 1), and
 * the widget re-sends three messages typed offline in one go after a restart, so two are shed with
 * `busy`. The shopper sees why it takes a moment, each message is answered exactly once, and after the
 * wait the held messages go one at a time.
 */

let engineHost: EngineHost;
let browser: Browser;

beforeAll(async () => {
  await buildWeb({ quiet: true });
  engineHost = projectEngineHost();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  engineHost?.close();
});

const answers = (page: Page) => page.locator('.msg.from-bot[data-id]');

test('shed messages: "Estamos con mucha demanda, reintentando…", then every message answered once', async () => {
  const config = { limits: { maxPendingTurns: 1 } };
  const first = await startTestServer({ deps: { engineHost }, config });
  const port = Number(new URL(first.httpUrl).port);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'es-MX' });
  const page = await context.newPage();
  const problems = collectPageProblems(page);
  // What the widget sends and is told, in order: which message goes when.
  const wire: Array<{ sent: boolean; type: string; code?: string; clientMessageId?: string }> = [];
  page.on('websocket', (socket) => {
    socket.on('framesent', ({ payload }) => wire.push({ sent: true, ...(JSON.parse(String(payload)) as { type: string }) }));
    socket.on('framereceived', ({ payload }) => wire.push({ sent: false, ...(JSON.parse(String(payload)) as { type: string }) }));
  });
  await page.goto(`${first.httpUrl}/`);
  await page.getByRole('button', { name: 'Abrir el chat de ayuda' }).click();
  const input = page.getByRole('textbox', { name: 'Tu mensaje' });
  await input.fill('hola');
  await input.press('Enter');
  await answers(page).first().waitFor();

  await first.stop();
  await page.getByText('Sin conexión. Reintentando…').waitFor();
  const questions = ['¿cuánto cuesta el envío?', '¿cuánto tarda en llegar mi pedido?', '¿puedo devolver un producto?'];
  for (const question of questions) {
    await input.fill(question);
    await input.press('Enter');
  }
  const again = await startTestServer({ dataDir: first.dataDir, port, deps: { engineHost }, config });
  await page.getByText('Estamos con mucha demanda, reintentando…').waitFor();
  await screenshot(page, 'widget-busy-retrying');
  expect(await page.locator('.msg.from-shopper.failed').count()).toBe(0);

  await answers(page).nth(3).waitFor();
  await page.locator('.msg.from-shopper.pending').waitFor({ state: 'detached' });
  expect(await page.locator('.msg.from-shopper').count()).toBe(4);
  const stored = dbOf(again.app.store).prepare("SELECT text FROM messages WHERE sender = 'shopper' ORDER BY id").all() as Array<{ text: string }>;
  expect(stored.map((m) => m.text).sort()).toEqual(['hola', ...questions].sort());
  const replies = dbOf(again.app.store)
    .prepare("SELECT count(*) AS n FROM messages b JOIN messages s ON b.reply_to = s.id WHERE s.sender = 'shopper' AND b.sender = 'bot'")
    .get() as { n: number };
  expect(replies.n).toBe(4);
  expect(await answers(page).count()).toBe(4);
  // After a wait, held messages go one at a time: none is sent before the one before it is settled.
  const firstBusy = wire.findIndex((event) => event.code === 'busy');
  const sentUnsettled: string[] = [];
  let awaiting: string | null = null;
  for (const event of wire.slice(firstBusy + 1)) {
    if (event.sent && event.type === 'message') {
      if (awaiting) sentUnsettled.push(`${event.clientMessageId} sent before ${awaiting} was settled`);
      awaiting = event.clientMessageId!;
    } else if (!event.sent && event.clientMessageId === awaiting) awaiting = null;
  }
  expect(sentUnsettled).toEqual([]);
  await expect(page.getByText('Estamos con mucha demanda, reintentando…').isVisible()).resolves.toBe(false);
  // The socket errors of the restart are expected; nothing else may go wrong on the page.
  expect(problems.filter((problem) => !problem.includes('WebSocket connection'))).toEqual([]);
  await context.close();
  await again.stop();
});

test('a message the server failed on goes again by itself; one it keeps failing on shows "No se pudo enviar"', async () => {
  const server = await startTestServer({ deps: { engineHost } });
  // The store refuses shopper messages while `failing` is above zero: a database blip, then a lasting fault.
  const messages = server.app.store.messages;
  const insert = messages.insert.bind(messages);
  let failing = 0;
  messages.insert = (input) => {
    if (input.sender === 'shopper' && failing > 0) {
      failing -= 1;
      return Promise.reject(new Error('database blip (test)'));
    }
    return insert(input);
  };
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'es-MX' });
  const page = await context.newPage();
  const problems = collectPageProblems(page);
  await page.goto(`${server.httpUrl}/`);
  await page.getByRole('button', { name: 'Abrir el chat de ayuda' }).click();
  const input = page.getByRole('textbox', { name: 'Tu mensaje' });

  failing = 1;
  await input.fill('¿cuánto cuesta el envío?');
  await input.press('Enter');
  await answers(page).first().waitFor();
  await expect(answers(page).first().textContent()).resolves.toMatch(/envío/i);
  expect(await page.locator('.msg.from-shopper.failed').count()).toBe(0);

  failing = Number.POSITIVE_INFINITY;
  await input.fill('¿puedo devolver un producto?');
  await input.press('Enter');
  await page.locator('.msg.from-shopper.failed').getByText('No se pudo enviar').waitFor({ timeout: 15_000 });
  await screenshot(page, 'widget-not-sent');
  expect(await answers(page).count()).toBe(1);
  expect(problems.filter((problem) => !problem.includes('WebSocket connection'))).toEqual([]);
  await context.close();
  await server.stop();
});
