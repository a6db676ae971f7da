import type { Page } from 'playwright-core';
import { agentCookie } from '../helpers/agent-client';
import { ALWAYS_OPEN } from '../helpers/app';
import { agentPage, collectPageProblems, screenshot } from '../helpers/browser';
import { useBrowserServer } from '../helpers/browser-server';
import { shopperAskingForAPerson } from '../helpers/shopper-client';

/**
 * Transferring a chat is a decision, not a side effect of browsing a list: an arrow key on "Transferir a…"
 * only picks a name, the button hands the chat over, and a colleague with no room left is marked so.
 */

const context = useBrowserServer(() => ({ handoff: { businessHours: ALWAYS_OPEN, agentCapacity: 1 } }));

async function consoleOf(email: string, name: string): Promise<Page> {
  const page = await agentPage(context.browser, context.server, await agentCookie(context.server, email, name));
  await page.goto(`${context.server.httpUrl}/agent`);
  await page.getByText('En línea', { exact: true }).waitFor();
  return page;
}

test('an arrow key on "Transferir a…" picks a colleague without moving the chat; "Transferir" moves it, even to one marked as at capacity', async () => {
  const ana = await consoleOf('ana@tienda.example', 'Ana');
  const problems = collectPageProblems(ana);
  const first = await shopperAskingForAPerson(context.server.socketUrl);
  await ana.locator('.chat-header h2').waitFor();
  const beto = await consoleOf('beto@tienda.example', 'Beto');
  // Beto takes the next shopper and is then full (agentCapacity 1).
  const second = await shopperAskingForAPerson(context.server.socketUrl);
  await beto.locator('.chat-header h2').waitFor();

  const picker = ana.getByRole('combobox', { name: 'Transferir a' });
  const transfer = ana.getByRole('button', { name: 'Transferir', exact: true });
  await ana.getByRole('option', { name: 'Beto · 1 en curso, sin cupo' }).waitFor({ state: 'attached' });
  expect(await transfer.isDisabled()).toBe(true);
  await picker.focus();
  await ana.keyboard.press('ArrowDown');
  expect(await picker.inputValue()).not.toBe('');
  expect(await transfer.isEnabled()).toBe(true);
  // Nothing moved: the chat is still Ana's, and the shopper was told nothing.
  await ana.waitForTimeout(500);
  expect(await ana.getByRole('tab', { name: /Mis chats/ }).innerText()).toMatch(/1/);
  await screenshot(ana, 'console-transfer-picked');

  await transfer.click();
  await ana.getByText('Conversación transferida.').waitFor();
  await beto.getByRole('tab', { name: /Mis chats\s*2/ }).waitFor();
  expect((await first.nextMessageFrom('system')).text).toBe('Ana se unió a la conversación.');
  expect((await first.nextMessageFrom('system')).text).toBe('Ana te transfirió con Beto.');
  expect(problems).toEqual([]);
  await Promise.all([ana.context().close(), beto.context().close(), first.close(), second.close()]);
});
