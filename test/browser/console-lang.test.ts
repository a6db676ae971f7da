import { agentCookie } from '../helpers/agent-client';
import { ALWAYS_OPEN } from '../helpers/app';
import { agentPage, collectPageProblems } from '../helpers/browser';
import { useBrowserServer } from '../helpers/browser-server';
import { ShopperClient } from '../helpers/shopper-client';

/** The console in English: no Spanish left in what the server describes (the FAQ of a case). */

const context = useBrowserServer(() => ({ handoff: { businessHours: ALWAYS_OPEN, agentCapacity: 4 } }));
const sockets: ShopperClient[] = [];
afterAll(() => Promise.all(sockets.map((socket) => socket.close())));

const DAMAGED_EN = 'My item arrived damaged, faulty or wrong';
const DAMAGED_ES = 'Mi producto llegó dañado, defectuoso o no es el que pedí';

/** An anonymous shopper whose message matches the damaged-item FAQ, which hands them to a person. */
async function damagedItemShopper(lang: 'es' | 'en', text: string): Promise<string> {
  const client = await ShopperClient.connect(context.server.socketUrl);
  sockets.push(client);
  const welcome = await client.hello({ lang });
  const { reply } = await client.ask(text);
  expect(reply.entryId).toBe('damaged-item');
  return String(welcome.conversationId);
}

test('a case reads in its conversation\'s language', async () => {
  const { server, browser } = context;
  const page = await agentPage(browser, server, await agentCookie(server, 'ana@tienda.example', 'Ana'));
  const problems = collectPageProblems(page);
  await page.goto(`${server.httpUrl}/agent`);
  await page.getByText('En línea', { exact: true }).waitFor();
  await page.getByRole('combobox', { name: 'Idioma' }).selectOption('en');
  await page.getByText('Online', { exact: true }).waitFor();

  await damagedItemShopper('en', 'the product came damaged');
  await damagedItemShopper('es', 'me llegó roto el producto');
  await page.getByRole('tab', { name: /My chats/ }).click();
  const englishCard = page.locator('.list .card', { hasText: DAMAGED_EN });
  await englishCard.waitFor();
  await page.locator('.list .card', { hasText: DAMAGED_ES }).waitFor();

  await englishCard.click();
  await page.locator('.chat-header').getByText(DAMAGED_EN, { exact: false }).waitFor();
  expect(problems).toEqual([]);
  await page.context().close();
});
