import type { Browser, Page } from 'playwright-core';
import { hashPassword } from '../../src/auth';
import type { EngineHost } from '../../src/engine';
import { ALWAYS_OPEN, projectEngineHost, startTestServer, type TestServer } from '../helpers/app';
import { collectPageProblems, launchChromium, screenshot } from '../helpers/browser';
import { ShopperClient } from '../helpers/shopper-client';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildWeb } = require('../../scripts/build-web.js') as { buildWeb: (options: { quiet: boolean }) => Promise<unknown> };

/**
 * The handoff in real Chromium: a shopper asks for a person in the widget, an agent logs into the
 * console, claims the chat from the queue, they write to each other, the agent resolves.
 */

const PASSWORD = 'una contraseña de prueba larga';

let engineHost: EngineHost;
let server: TestServer;
let browser: Browser;
const sockets: ShopperClient[] = [];

beforeAll(async () => {
  await buildWeb({ quiet: true });
  engineHost = projectEngineHost();
  // Capacity 1: the agent's first chat fills it, so the browser shopper waits in the queue to be claimed.
  server = await startTestServer({ config: { handoff: { businessHours: ALWAYS_OPEN, agentCapacity: 1 } }, deps: { engineHost } });
  await server.app.store.agents.create({ email: 'ana@tienda.example', name: 'Ana', role: 'agent', passwordHash: hashPassword(PASSWORD) });
  browser = await launchChromium();
});
afterAll(async () => {
  await Promise.all(sockets.map((socket) => socket.close()));
  await browser?.close();
  await server?.stop();
  engineHost?.close();
});

function widget(page: Page) {
  return page.locator('#atento-chat');
}

test('shopper asks for a person, the agent logs in, claims, they talk both ways, the agent resolves', async () => {
  const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'es-MX' });
  const agentPage = await agentContext.newPage();
  const agentProblems = collectPageProblems(agentPage);

  await agentPage.goto(`${server.httpUrl}/agent`);
  expect(new URL(agentPage.url()).pathname).toBe('/agent/login');
  await agentPage.getByLabel('Correo').fill('ana@tienda.example');
  await agentPage.getByLabel('Contraseña').fill('wrong');
  await agentPage.getByRole('button', { name: 'Entrar' }).click();
  await agentPage.getByRole('alert').waitFor();
  await agentPage.getByLabel('Contraseña').fill(PASSWORD);
  await screenshot(agentPage, 'console-login');
  await agentPage.getByRole('button', { name: 'Entrar' }).click();
  await agentPage.getByText('En línea').waitFor();

  // Another shopper (a plain socket) takes Ana's only slot.
  const first = await ShopperClient.connect(server.socketUrl);
  sockets.push(first);
  await first.hello({ lang: 'en' });
  first.send({ type: 'message', clientMessageId: 'x1', text: 'I want to talk to a person' });
  await agentPage.locator('.card', { hasText: 'Pidió una persona' }).first().waitFor();
  // A routed chat changes the tab title (and plays a chime) so a busy agent notices.
  await agentPage.waitForFunction(() => document.title.includes('Nuevo chat'));
  // An agent tabbing through the list keeps their place while queue frames re-render it.
  await agentPage.getByRole('tab', { name: /Mis chats/ }).focus();

  // The shopper in the widget.
  const shopperContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'es-MX' });
  const shopperPage = await shopperContext.newPage();
  const shopperProblems = collectPageProblems(shopperPage);
  await shopperPage.goto(`${server.httpUrl}/`);
  await shopperPage.getByRole('button', { name: 'Abrir el chat de ayuda' }).click();
  await shopperPage.getByRole('textbox', { name: 'Tu mensaje' }).fill('¿cuánto cuesta el envío?');
  await shopperPage.keyboard.press('Enter');
  await widget(shopperPage).locator('.msg.from-bot[data-id]').first().waitFor();
  await shopperPage.getByRole('button', { name: 'Hablar con una persona' }).click();
  await shopperPage.getByText(/en la fila|posición|fila/i).first().waitFor();
  await agentPage.getByRole('tab', { name: 'Cola 1' }).waitFor();
  expect(await agentPage.evaluate(() => document.activeElement?.textContent)).toMatch(/^Mis chats/);
  await screenshot(shopperPage, 'console-flow-widget-waiting');

  // The queue shows the waiting shopper with language and reason; the tab title changes for new chats.
  await agentPage.getByRole('tab', { name: /Cola/ }).click();
  const queued = agentPage.locator('.list .card', { hasText: 'Pidió una persona (botón)' });
  await queued.waitFor();
  expect(await queued.locator('.lang').innerText()).toBe('ES');
  await screenshot(agentPage, 'console-queue-1280');
  // Claimed from the keyboard: Enter on the card's button must not be taken by the card.
  await queued.getByRole('button', { name: 'Tomar' }).focus();
  await agentPage.keyboard.press('Enter');

  // The whole transcript, with the FAQ the bot used and its confidence.
  // The FAQ's question, not its id (kept in the tooltip), and what the bot did, in Spanish.
  const matched = agentPage.locator('.msg.from-bot .match[title$=": shipping-cost"]').first();
  await matched.waitFor();
  expect(await matched.innerText()).toMatch(/^¿Cuánto cuesta el envío\?.* · confianza [01]\.\d\d · respondió$/);
  await shopperPage.getByText('Ana se unió a la conversación.').waitFor();

  const reply = agentPage.getByRole('textbox', { name: 'Respuesta' });
  await reply.fill('¡Hola! Soy Ana. ¿A qué **ciudad** es el envío?');
  await reply.press('Enter');
  await widget(shopperPage).locator('.msg.from-agent', { hasText: 'Soy Ana' }).waitFor();
  // Markdown reads the same on both sides: bold for the shopper, bold in the agent's own transcript.
  await widget(shopperPage).locator('.msg.from-agent strong', { hasText: 'ciudad' }).waitFor();
  await agentPage.locator('.msg.from-agent strong', { hasText: 'ciudad' }).waitFor();

  await shopperPage.getByRole('textbox', { name: 'Tu mensaje' }).fill('A Guadalajara, gracias');
  await shopperPage.keyboard.press('Enter');
  await agentPage.locator('.msg.from-shopper', { hasText: 'A Guadalajara' }).waitFor();
  // The chat's line in the list follows what the shopper said last.
  await agentPage.locator('.list .card .preview', { hasText: 'A Guadalajara, gracias' }).waitFor();

  // A canned answer from the knowledge base goes into the reply box for editing, not straight out.
  await agentPage.getByRole('searchbox', { name: 'Buscar respuestas' }).fill('costo de envío');
  const cannedItem = agentPage.locator('.canned-item').first();
  await cannedItem.waitFor();
  await cannedItem.click();
  const drafted = await reply.inputValue();
  expect(drafted.length).toBeGreaterThan(20);
  await reply.fill(`Para Guadalajara: ${drafted.slice(0, 80)}`);
  await reply.press('Enter');
  await widget(shopperPage).locator('.msg.from-agent', { hasText: 'Para Guadalajara' }).waitFor();

  // An internal note stays in the console.
  await agentPage.getByRole('button', { name: 'Nota interna' }).click();
  await reply.fill('Cliente frecuente: ofrecer cupón');
  await reply.press('Enter');
  await agentPage.locator('.msg.note', { hasText: 'ofrecer cupón' }).waitFor();
  await screenshot(agentPage, 'console-chat-1280');

  await agentPage.setViewportSize({ width: 820, height: 1180 });
  await screenshot(agentPage, 'console-chat-tablet-820');
  await agentPage.setViewportSize({ width: 1280, height: 800 });

  await agentPage.getByRole('button', { name: 'Resolver' }).click();
  await shopperPage.getByText(/marcó la conversación como resuelta/).waitFor();
  await screenshot(shopperPage, 'console-flow-widget-resolved');
  expect(await widget(shopperPage).innerText()).not.toContain('ofrecer cupón');
  await agentPage.getByText('Conversación resuelta.').waitFor();
  await screenshot(agentPage, 'console-after-resolve-1280');

  // The one deliberate wrong password above is the only failed request.
  expect(agentProblems).toEqual(['console: Failed to load resource: the server responded with a status of 401 (Unauthorized)']);
  expect(shopperProblems).toEqual([]);
  await shopperContext.close();
  await agentContext.close();
});

test('outside business hours the widget takes a message, and the agent finds it under Tickets', async () => {
  const closed = await startTestServer({ config: { handoff: { businessHours: {} } }, deps: { engineHost } });
  await closed.app.store.agents.create({ email: 'ana@tienda.example', name: 'Ana', role: 'agent', passwordHash: hashPassword(PASSWORD) });
  try {
    const shopperContext = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'es-MX' });
    const shopperPage = await shopperContext.newPage();
    await shopperPage.goto(`${closed.httpUrl}/`);
    await shopperPage.getByRole('button', { name: 'Abrir el chat de ayuda' }).click();
    await shopperPage.getByRole('button', { name: 'Hablar con una persona' }).click();
    // The greeting says so too ("Si nos dejas un mensaje…"); this is the form's first question.
    await shopperPage.getByText(/fuera del horario de atención\. Déjanos tu mensaje/).waitFor();
    const input = shopperPage.getByRole('textbox', { name: 'Tu mensaje' });
    for (const [answer, next] of [
      ['Luz Martínez', /correo/],
      ['luz@example.com', /cuéntanos qué necesitas/],
      ['Quiero cambiar la dirección del pedido 321', /ticket #1/],
    ] as const) {
      await input.fill(answer);
      await input.press('Enter');
      await shopperPage.getByText(next).last().waitFor();
    }
    await screenshot(shopperPage, 'console-flow-widget-ticket-375');

    const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'es-MX' });
    const agentPage = await agentContext.newPage();
    await agentPage.goto(`${closed.httpUrl}/agent/login`);
    await agentPage.getByLabel('Correo').fill('ana@tienda.example');
    await agentPage.getByLabel('Contraseña').fill(PASSWORD);
    await agentPage.getByRole('button', { name: 'Entrar' }).click();
    await agentPage.getByRole('tab', { name: /Tickets/ }).click();
    const ticket = agentPage.locator('.card.ticket', { hasText: 'Luz Martínez' });
    await ticket.waitFor();
    expect(await ticket.innerText()).toContain('Quiero cambiar la dirección del pedido 321');
    await screenshot(agentPage, 'console-tickets-1280');
    await ticket.getByRole('button', { name: 'Marcar como atendido' }).click();
    await agentPage.getByText('No hay tickets abiertos.').waitFor();
    await shopperContext.close();
    await agentContext.close();
  } finally {
    await closed.stop();
  }
});
