import { agentCookie } from '../helpers/agent-client';
import { ALWAYS_OPEN } from '../helpers/app';
import { agentPage, collectPageProblems, screenshot } from '../helpers/browser';
import { useBrowserServer } from '../helpers/browser-server';
import { FakeProvider, twilioSignature } from '../helpers/fake-provider';
import { ShopperClient } from '../helpers/shopper-client';

/** An agent can tell a WhatsApp chat from a web chat in the queue and in the chat header: the reply goes out there. */

const AUTH_TOKEN = 'twilio-auth-token-for-console-tests-0123';
const ACCOUNT_SID = `AC${'fedcba9876543210'.repeat(2)}`;
const WEBHOOK_URL = 'https://chat.tienda.example/channels/whatsapp';
const SHOP_NUMBER = 'whatsapp:+14155238886';

let provider: FakeProvider;
const context = useBrowserServer(async () => {
  provider = await FakeProvider.start();
  return {
    handoff: { businessHours: ALWAYS_OPEN, agentCapacity: 2 },
    whatsapp: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: SHOP_NUMBER, webhookUrl: WEBHOOK_URL, apiUrl: provider.url },
  };
});
const sockets: ShopperClient[] = [];
afterAll(async () => {
  await Promise.all(sockets.map((socket) => socket.close()));
  await provider.close();
});

test('a WhatsApp chat is marked WhatsApp in the lists and the chat header; a web chat carries no mark', async () => {
  const { server, browser } = context;
  const page = await agentPage(browser, server, await agentCookie(server, 'ana@tienda.example', 'Ana'));
  const problems = collectPageProblems(page);
  await page.goto(`${server.httpUrl}/agent`);
  await page.getByText('En línea').waitFor();

  const fields = { MessageSid: 'SM' + 'a1'.repeat(16), AccountSid: ACCOUNT_SID, From: 'whatsapp:+5215512345678', To: SHOP_NUMBER, Body: 'quiero hablar con una persona', NumMedia: '0', ProfileName: 'Marta' };
  const response = await fetch(`${server.httpUrl}/channels/whatsapp`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(AUTH_TOKEN, WEBHOOK_URL, fields) },
    body: new URLSearchParams(fields),
  });
  expect(response.status).toBe(200);
  const web = await ShopperClient.connect(server.socketUrl);
  sockets.push(web);
  await web.hello({ lang: 'es' });
  web.send({ type: 'message', clientMessageId: 'm1', text: 'quiero hablar con una persona' });
  await web.next('ack');

  await page.getByRole('tab', { name: /Mis chats/ }).click();
  const cards = page.locator('.list .card');
  await cards.nth(1).waitFor();
  const marta = cards.filter({ hasText: 'Marta' });
  await expect(marta.locator('.channel').innerText()).resolves.toBe('WhatsApp');
  expect(await cards.filter({ hasNotText: 'Marta' }).locator('.channel').count()).toBe(0);
  // No socket to be online on: the card does not call her 'desconectado'.
  expect(await marta.innerText()).not.toMatch(/desconectado|en línea/);

  await marta.click();
  await page.locator('.chat-header .meta').filter({ hasText: /^WhatsApp · ES · con Ana/ }).waitFor();
  await screenshot(page, 'console-whatsapp-chat');
  expect(problems).toEqual([]);
});
