import type { Page } from 'playwright-core';
import { collectPageProblems } from '../helpers/browser';
import { useBrowserServer } from '../helpers/browser-server';
import { trapCommitsOfMessagesWith, trapCommitsOfNewConversations } from '../helpers/commit-trap';
import { dbOf } from '../helpers/db';

/**
 * A group commit that fails (disk full) rolls the shopper's message back and the server closes the socket
 * (1012). The widget reconnects by itself: a conversation that was not started is started again, a
 * message is sent again, and the shopper never sees "No se pudo enviar".
 */

const context = useBrowserServer();

test('a first hello whose commit failed: the widget gets past "Conectando…" once the disk is back', async () => {
  const { server, browser } = context;
  const browsing = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'es-MX' });
  const page = await browsing.newPage();
  const problems = collectPageProblems(page);
  const db = dbOf(server.app.store);
  const conversations = () => (db.prepare('SELECT count(*) AS n FROM conversations').get() as { n: number }).n;
  const before = conversations();
  const untrap = trapCommitsOfNewConversations(db);
  const firstClose = closeOf(page);
  await page.goto(`${server.httpUrl}/`);
  await page.getByRole('button', { name: 'Abrir el chat de ayuda' }).click();
  await firstClose;
  expect(conversations()).toBe(before);
  untrap();

  const input = page.getByRole('textbox', { name: 'Tu mensaje' });
  await input.fill('hola');
  await input.press('Enter');
  await page.locator('.msg.from-bot[data-id]').first().waitFor();
  await page.getByText('Conectando…').waitFor({ state: 'detached' });
  expect(conversations()).toBe(before + 1);
  expect(problems).toEqual([]);
  await browsing.close();
});

test('a message whose commit failed is sent again after the reconnect and answered once', async () => {
  const { server, browser } = context;
  const browsing = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'es-MX' });
  const page = await browsing.newPage();
  const problems = collectPageProblems(page);
  const firstClose = closeOf(page);
  await page.goto(`${server.httpUrl}/`);
  await page.getByRole('button', { name: 'Abrir el chat de ayuda' }).click();
  const db = dbOf(server.app.store);
  const untrap = trapCommitsOfMessagesWith(db, 'envío');

  const input = page.getByRole('textbox', { name: 'Tu mensaje' });
  await input.fill('¿cuánto cuesta el envío?');
  await input.press('Enter');
  await firstClose;
  untrap();

  await page.locator('.msg.from-bot[data-id]').first().waitFor();
  await page.locator('.msg.from-shopper.pending').waitFor({ state: 'detached' });
  expect(await page.locator('.msg.from-shopper.failed').count()).toBe(0);
  const stored = db.prepare('SELECT sender, entry_id AS entryId FROM messages WHERE conversation_id = (SELECT conversation_id FROM messages ORDER BY id DESC LIMIT 1) ORDER BY id').all();
  expect(stored).toEqual([
    { sender: 'shopper', entryId: null },
    { sender: 'bot', entryId: 'shipping-cost' },
  ]);
  expect(problems).toEqual([]);
  await browsing.close();
});

/** Resolves when the page's first WebSocket closes (the server closed it: 1012). */
function closeOf(page: Page): Promise<void> {
  return new Promise((resolve) => page.on('websocket', (socket) => socket.on('close', () => resolve())));
}
