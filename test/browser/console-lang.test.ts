import { visitorTag } from '../../src/handoff/views';
import { agentCookie } from '../helpers/agent-client';
import { ALWAYS_OPEN } from '../helpers/app';
import { agentPage, collectPageProblems, screenshot } from '../helpers/browser';
import { useBrowserServer } from '../helpers/browser-server';
import { ShopperClient } from '../helpers/shopper-client';

/** The console in English: no Spanish left in what the server describes (visitors' names, the FAQ of a case). */

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

test('in English, anonymous shoppers are "Visitor …" (in lists, chat and search), and a case reads in its conversation\'s language', async () => {
  const { server, browser } = context;
  const page = await agentPage(browser, server, await agentCookie(server, 'ana@tienda.example', 'Ana'));
  const problems = collectPageProblems(page);
  await page.goto(`${server.httpUrl}/agent`);
  await page.getByText('En línea', { exact: true }).waitFor();
  await page.getByRole('combobox', { name: 'Idioma' }).selectOption('en');
  await page.getByText('Online', { exact: true }).waitFor();

  const english = await damagedItemShopper('en', 'the product came damaged');
  const spanish = await damagedItemShopper('es', 'me llegó roto el producto');
  await page.getByRole('tab', { name: /My chats/ }).click();
  const englishCard = page.locator('.list .card', { hasText: DAMAGED_EN });
  const spanishCard = page.locator('.list .card', { hasText: DAMAGED_ES });
  await englishCard.waitFor();
  await spanishCard.waitFor();
  expect(await englishCard.locator('strong').innerText()).toBe(`Visitor ${visitorTag(english)}`);
  expect(await spanishCard.locator('strong').innerText()).toBe(`Visitor ${visitorTag(spanish)}`);
  expect(await page.locator('.list').innerText()).not.toContain('Visitante');

  await englishCard.click();
  const header = page.locator('.chat-header');
  await header.getByText(DAMAGED_EN, { exact: false }).waitFor();
  expect(await header.locator('h2').innerText()).toContain(`Visitor ${visitorTag(english)}`);
  await screenshot(page, 'console-english-visitor');

  await page.getByRole('tab', { name: 'Search' }).click();
  await page.getByRole('searchbox', { name: 'Search conversations' }).fill('came damaged');
  await page.getByRole('searchbox', { name: 'Search conversations' }).press('Enter');
  const found = page.locator('.card.found', { hasText: 'the product came damaged' });
  await found.waitFor();
  expect(await found.locator('strong').innerText()).toBe(`Visitor ${visitorTag(english)}`);

  // Back in Spanish the same shoppers are "Visitante …"; each case still reads in its conversation's language.
  await page.getByRole('combobox', { name: 'Language' }).selectOption('es');
  await page.getByRole('tab', { name: /Mis chats/ }).click();
  await englishCard.waitFor();
  expect(await englishCard.locator('strong').innerText()).toBe(`Visitante ${visitorTag(english)}`);
  expect(await spanishCard.locator('strong').innerText()).toBe(`Visitante ${visitorTag(spanish)}`);
  expect(problems).toEqual([]);
  await page.context().close();
});
