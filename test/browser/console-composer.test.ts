import type { Page } from 'playwright-core';
import { agentCookie } from '../helpers/agent-client';
import { ALWAYS_OPEN } from '../helpers/app';
import { agentPage, collectPageProblems, screenshot } from '../helpers/browser';
import { useBrowserServer } from '../helpers/browser-server';
import { ShopperClient, type Frame } from '../helpers/shopper-client';
import { eventually } from '../helpers/wait';

/**
 * The reply box of an agent with several chats: what is typed for one shopper stays with that
 * shopper's chat, in the mode it was written in, and never reaches another shopper.
 */

const context = useBrowserServer(() => ({ handoff: { businessHours: ALWAYS_OPEN, agentCapacity: 4 } }));
const sockets: ShopperClient[] = [];
afterAll(() => Promise.all(sockets.map((socket) => socket.close())));

/** A shopper on `path` who asked for a person: the chat lands on the only agent online. */
async function shopperWantingAPerson(path: string): Promise<ShopperClient> {
  const client = await ShopperClient.connect(context.server.socketUrl);
  sockets.push(client);
  await client.hello({ lang: 'es', page: `https://tienda.example${path}` });
  client.send({ type: 'message', clientMessageId: 'm1', text: 'quiero hablar con una persona' });
  await client.next('ack');
  return client;
}

async function consoleOf(email: string, name: string): Promise<{ page: Page; problems: string[] }> {
  const page = await agentPage(context.browser, context.server, await agentCookie(context.server, email, name));
  const problems = collectPageProblems(page);
  await page.goto(`${context.server.httpUrl}/agent`);
  await page.getByText('En línea', { exact: true }).waitFor();
  return { page, problems };
}

/** What agents wrote to this shopper so far (frames no next() consumed). */
async function agentTexts(shopper: ShopperClient): Promise<unknown[]> {
  return (await shopper.unread()).filter((frame: Frame) => frame.type === 'message' && frame.from === 'agent').map((frame) => frame.text);
}

function lastAgentTyping(shopper: ShopperClient): unknown {
  return shopper.frames.filter((frame) => frame.type === 'typing' && frame.from === 'agent').at(-1)?.isTyping;
}

test("a half-typed reply stays with its chat: switching chats neither carries nor sends it, and coming back restores it", async () => {
  const { page, problems } = await consoleOf('ana@tienda.example', 'Ana');
  const shopperA = await shopperWantingAPerson('/zapatillas');
  const shopperB = await shopperWantingAPerson('/pedidos');
  await page.getByRole('tab', { name: /Mis chats/ }).click();
  const cardA = page.locator('.list .card', { hasText: '/zapatillas' });
  const cardB = page.locator('.list .card', { hasText: '/pedidos' });
  const reply = page.getByRole('textbox', { name: 'Respuesta' });

  await cardA.click();
  await reply.fill('Tu pedido 48213 llega el martes');
  await eventually(() => expect(lastAgentTyping(shopperA)).toBe(true));

  await cardB.click();
  await page.locator('.details .page', { hasText: '/pedidos' }).waitFor();
  expect(await reply.inputValue()).toBe('');
  // Shopper A no longer reads "Ana is typing" once Ana has left the chat (not 3 s later).
  await eventually(() => expect(lastAgentTyping(shopperA)).toBe(false), 1000);
  await reply.press('Enter');
  await reply.fill('Hola, reviso tu devolución');
  await reply.press('Enter');
  expect((await shopperB.nextMessageFrom('agent')).text).toBe('Hola, reviso tu devolución');

  await cardA.click();
  await page.locator('.details .page', { hasText: '/zapatillas' }).waitFor();
  expect(await reply.inputValue()).toBe('Tu pedido 48213 llega el martes');
  await reply.press('Enter');
  expect((await shopperA.nextMessageFrom('agent')).text).toBe('Tu pedido 48213 llega el martes');
  expect(await agentTexts(shopperB)).toEqual([]);
  expect(problems).toEqual([]);
  await page.context().close();
});

test('"Nota interna" is for one note in one chat: the next message is a reply again, and another chat never inherits it', async () => {
  const { page, problems } = await consoleOf('ana@tienda.example', 'Ana');
  const shopperA = await shopperWantingAPerson('/cuenta');
  const shopperB = await shopperWantingAPerson('/ofertas');
  await page.getByRole('tab', { name: /Mis chats/ }).click();
  const cardA = page.locator('.list .card', { hasText: '/cuenta' });
  const cardB = page.locator('.list .card', { hasText: '/ofertas' });
  const reply = page.getByRole('textbox', { name: 'Respuesta' });
  const noteMode = page.getByRole('button', { name: 'Nota interna' });
  const replyMode = page.getByRole('button', { name: 'Respuesta', exact: true });

  await cardA.click();
  await noteMode.click();
  await reply.fill('Cliente frecuente: ofrecer cupón');
  await reply.press('Enter');
  await page.locator('.msg.note', { hasText: 'ofrecer cupón' }).waitFor();
  expect(await replyMode.getAttribute('aria-pressed')).toBe('true');
  await reply.fill('Gracias por esperar, ya lo reviso');
  await reply.press('Enter');
  expect((await shopperA.nextMessageFrom('agent')).text).toBe('Gracias por esperar, ya lo reviso');

  // A note half written in A: B opens in reply mode, and A gets its note back, still a note.
  await noteMode.click();
  await reply.fill('Pidió factura, revisar mañana');
  await cardB.click();
  await page.locator('.details .page', { hasText: '/ofertas' }).waitFor();
  expect(await replyMode.getAttribute('aria-pressed')).toBe('true');
  await reply.fill('Hola, te ayudo con la oferta');
  await reply.press('Enter');
  expect((await shopperB.nextMessageFrom('agent')).text).toBe('Hola, te ayudo con la oferta');
  await cardA.click();
  await page.locator('.details .page', { hasText: '/cuenta' }).waitFor();
  expect(await noteMode.getAttribute('aria-pressed')).toBe('true');
  expect(await reply.inputValue()).toBe('Pidió factura, revisar mañana');
  await reply.press('Enter');
  await page.locator('.msg.note', { hasText: 'revisar mañana' }).waitFor();
  expect(await agentTexts(shopperA)).toEqual([]);
  expect(problems).toEqual([]);
  await page.context().close();
});

test('a chat opens scrolled to its newest message, also when it brings the reply box with it', async () => {
  // Beto's console opens with no chat, so no reply box; the chat that reaches him brings one.
  const { page, problems } = await consoleOf('beto@tienda.example', 'Beto');
  const shopper = await ShopperClient.connect(context.server.socketUrl);
  sockets.push(shopper);
  const welcome = await shopper.hello({ lang: 'es', page: 'https://tienda.example/historial' });
  for (let turn = 1; turn <= 15; turn++) {
    const conversationId = String(welcome.conversationId);
    await context.server.app.store.messages.insert({ conversationId, sender: 'shopper', text: `Pregunta ${turn} sobre mi pedido`, lang: 'es' });
    await context.server.app.store.messages.insert({ conversationId, sender: 'bot', text: `Respuesta ${turn}: revisa el estado en tu cuenta.`, lang: 'es' });
  }
  shopper.send({ type: 'message', clientMessageId: 'm1', text: 'quiero hablar con una persona' });
  await page.getByRole('textbox', { name: 'Respuesta' }).waitFor();
  const newest = page.locator('.transcript .msg').last();
  await newest.getByText('Beto se unió a la conversación.').waitFor();
  const [transcriptBox, newestBox] = [await page.locator('.transcript').boundingBox(), await newest.boundingBox()];
  expect(newestBox!.y + newestBox!.height).toBeLessThanOrEqual(transcriptBox!.y + transcriptBox!.height + 1);
  await screenshot(page, 'console-chat-opened-at-newest');
  expect(problems).toEqual([]);
  await page.context().close();
});

test("saving the shopper's e-mail brings up their earlier conversations, and a refresh keeps what the agent is still typing there", async () => {
  const { conversations, messages } = context.server.app.store;
  const earlier = await conversations.create('es');
  await conversations.setShopper(earlier.id, { email: 'lola@example.com' });
  await messages.insert({ conversationId: earlier.id, sender: 'shopper', text: '¿Hacen envíos a Chile?', lang: 'es' });
  const { page, problems } = await consoleOf('carla@tienda.example', 'Carla');
  await shopperWantingAPerson('/carrito');
  const details = page.getByRole('complementary', { name: 'Cliente' });
  await details.getByText('Guarda su correo para buscarlas.').waitFor();

  await details.getByLabel('Correo').fill('lola@example.com');
  await details.getByRole('button', { name: 'Guardar datos' }).click();
  await details.getByRole('button', { name: /¿Hacen envíos a Chile\?/ }).waitFor();

  // Half-typed, unsaved, the caret in the middle: another chat arriving re-renders the console, not this field.
  await details.getByLabel('Nombre').fill('Lola Pé');
  await details.getByLabel('Nombre').evaluate((input: HTMLInputElement) => input.setSelectionRange(4, 4));
  await shopperWantingAPerson('/ayuda');
  await page.getByRole('tab', { name: 'Mis chats 2' }).waitFor();
  await details.getByRole('button', { name: /¿Hacen envíos a Chile\?/ }).waitFor();
  expect(await details.getByLabel('Nombre').inputValue()).toBe('Lola Pé');
  expect(await details.getByLabel('Nombre').evaluate((input) => input === document.activeElement)).toBe(true);
  expect(await details.getByLabel('Nombre').evaluate((input: HTMLInputElement) => [input.selectionStart, input.selectionEnd])).toEqual([4, 4]);
  expect(problems).toEqual([]);
  await page.context().close();
});
