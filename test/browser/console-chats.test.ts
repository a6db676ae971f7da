import { shopperHash } from '../../src/session';
import { agentCookie } from '../helpers/agent-client';
import { ALWAYS_OPEN } from '../helpers/app';
import type { Page } from 'playwright-core';
import { agentPage, collectPageProblems, screenshot } from '../helpers/browser';
import { useBrowserServer } from '../helpers/browser-server';
import { ShopperClient } from '../helpers/shopper-client';

/** An agent with four chats at once can tell them apart: names, pages, cases, and who is still there. */

const SECRET = 'identity-secret-for-the-console-test-0123456789';

const context = useBrowserServer(() => ({ identitySecret: SECRET, handoff: { businessHours: ALWAYS_OPEN, agentCapacity: 4 } }));
const sockets: ShopperClient[] = [];
afterAll(() => Promise.all(sockets.map((socket) => socket.close())));

async function shopper(page: string, first: string, user?: object): Promise<ShopperClient> {
  const client = await ShopperClient.connect(context.server.socketUrl);
  sockets.push(client);
  await client.hello({ lang: 'es', page, ...(user && { user }) });
  client.send({ type: 'message', clientMessageId: 'm1', text: first });
  await client.next('ack');
  return client;
}

test('four chats: readable names and cases, bot answers formatted, and the shopper leaving shows', async () => {
  const { server, browser } = context;
  const page = await agentPage(browser, server, await agentCookie(server, 'ana@tienda.example', 'Ana'));
  const problems = collectPageProblems(page);
  await page.goto(`${server.httpUrl}/agent`);
  await page.getByText('En línea').waitFor();

  await shopper('https://tienda.example/zapatillas', 'quiero hablar con una persona');
  const broken = await shopper('https://tienda.example/pedidos', 'me llegó el producto roto');
  await shopper('https://tienda.example/', 'estoy muy molesto, esto es una estafa, quiero poner una queja');
  await shopper('https://tienda.example/cuenta', 'quiero hablar con una persona', { id: 'u-77', name: 'Marta Díaz', hash: shopperHash(SECRET, { id: 'u-77', name: 'Marta Díaz' }) });

  await page.getByRole('tab', { name: /Mis chats/ }).click();
  const cards = page.locator('.list .card');
  await cards.nth(3).waitFor();
  const names = await cards.locator('strong').allTextContents();
  expect(new Set(names).size).toBe(4);
  expect(names).toContain('Marta Díaz');
  expect(names.filter((name) => /^Visitante ([0-9A-F]{3}|[0-9A-F]{6})$/.test(name))).toHaveLength(3);
  const sidebar = await page.locator('.list').innerText();
  expect(sidebar).not.toMatch(/Cliente|damaged-item|Caso:/);
  expect(sidebar).toMatch(/Mi producto llegó dañado/);
  expect(sidebar).toMatch(/en línea · \/pedidos/);
  expect(sidebar).toMatch(/cliente verificado/);

  await cards.filter({ hasText: 'Mi producto llegó dañado' }).click();
  const botAnswer = page.locator('.msg.from-bot .msg-text').first();
  await botAnswer.locator('strong, li').first().waitFor();
  expect(await botAnswer.innerText()).not.toMatch(/\*\*|\[\[/);
  const matched = await page.locator('.msg.from-bot .match').first().innerText();
  expect(matched).toMatch(/^Mi producto llegó dañado.* · confianza 0\.\d\d · pasó a una persona$/);

  // A bot answer is the knowledge base's markdown; anything else in it stays text (same renderer as the widget).
  const conversationId = String(broken.frames.find((frame) => frame.type === 'welcome')!.conversationId);
  const hostile = await server.app.store.messages.insert({
    conversationId,
    sender: 'bot',
    text: 'Revisa **tu pedido**:\n\n- <script>window.pwned = 1</script>\n- <img src=x onerror="window.pwned = 2"> [aquí](javascript:alert(1))',
    lang: 'es',
    entryId: 'order-tracking',
    action: 'answer',
    confidence: 0.9,
  });
  server.app.events.emit('message.created', { message: hostile });
  const rendered = page.locator('.msg.from-bot .msg-text').last();
  await rendered.getByText('<script>window.pwned = 1</script>').waitFor();
  expect(await rendered.locator('strong').innerText()).toBe('tu pedido');
  expect(await rendered.locator('script, img, a[href^="javascript"]').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();

  // Details the shop verified are shown, not offered for editing; an ordinary chat of one's own has the form.
  expect(await page.locator('#shopper-name').count()).toBe(1);
  await cards.filter({ hasText: 'Marta Díaz' }).click();
  await page.locator('.details h2', { hasText: 'verificado' }).waitFor();
  expect(await page.locator('.details dd', { hasText: 'Marta Díaz' }).count()).toBe(1);
  expect(await page.locator('#shopper-name').count()).toBe(0);
  await cards.filter({ hasText: 'Mi producto llegó dañado' }).click();
  await page.locator('#shopper-name').waitFor();

  await broken.close();
  await page.locator('.chat-header').getByText('se fue hace un momento').waitFor();
  await page.locator('.list .card', { hasText: 'se fue hace' }).waitFor();
  await screenshot(page, 'console-four-chats');

  // The shopper comes back (same token): "en línea" again, live, in the header and the list.
  const back = await ShopperClient.connect(server.socketUrl);
  sockets.push(back);
  await back.hello({ lang: 'es', token: String(broken.frames.find((frame) => frame.type === 'welcome')!.token) });
  await page.locator('.chat-header .presence-text', { hasText: 'en línea' }).waitFor();
  expect(await page.locator('.list .card', { hasText: 'se fue hace' }).count()).toBe(0);
  expect(problems).toEqual([]);
  await page.context().close();
});

/** Each list tab's box, and whether a click at its centre lands on it (not clipped, not covered, not off the list). */
function tabsAsSeen(page: Page) {
  return page.locator('.tabs [role="tab"]').evaluateAll((tabs) => {
    const sidebar = document.querySelector('.sidebar')!.getBoundingClientRect();
    return tabs.map((tab) => {
      const box = tab.getBoundingClientRect();
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return { tab: tab.textContent, left: Math.round(box.left), right: Math.round(box.right), sidebar: [sidebar.left, sidebar.right], inside: box.left >= sidebar.left && box.right <= sidebar.right, clickable: tab.contains(hit) };
    });
  });
}

test('every list tab, the magnifier too, is inside the list and clickable at 1280 and 800 px, in Spanish and English', async () => {
  const { server, browser } = context;
  const page = await agentPage(browser, server, await agentCookie(server, 'ana@tienda.example', 'Ana'));
  const problems = collectPageProblems(page);
  await page.goto(`${server.httpUrl}/agent`);
  await page.getByText('En línea', { exact: true }).waitFor();
  await page.getByRole('tab', { name: /Mis chats \d/ }).waitFor();
  for (const lang of ['es', 'en'] as const) {
    if (lang === 'en') await page.getByRole('combobox', { name: 'Idioma' }).selectOption('en');
    for (const width of [1280, 800]) {
      await page.setViewportSize({ width, height: 800 });
      const tabs = await tabsAsSeen(page);
      expect(tabs).toHaveLength(4);
      for (const tab of tabs) expect(tab).toMatchObject({ inside: true, clickable: true });
      await page.getByRole('tab', { name: lang === 'es' ? 'Buscar' : 'Search' }).click();
      await page.getByRole('searchbox', { name: lang === 'es' ? 'Buscar conversaciones' : 'Search conversations' }).waitFor();
      await page.getByRole('tab', { name: lang === 'es' ? /^Cola/ : /^Queue/ }).click();
      await screenshot(page, `console-tabs-${lang}-${width}`);
      await page.getByRole('tab', { name: lang === 'es' ? /Mis chats/ : /My chats/ }).click();
    }
  }
  expect(problems).toEqual([]);
  await page.context().close();
});
