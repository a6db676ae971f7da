import type { Page } from 'playwright-core';
import { agentCookie } from '../helpers/agent-client';
import { ALWAYS_OPEN } from '../helpers/app';
import { agentPage, collectPageProblems } from '../helpers/browser';
import { useBrowserServer } from '../helpers/browser-server';
import { dbOf } from '../helpers/db';
import { ShopperClient } from '../helpers/shopper-client';
import { eventually } from '../helpers/wait';

/**
 * The console's connection drops after the server stored a reply but before its `ack` arrived. The
 * console sends the reply again when it reconnects, and the server keeps one: the shopper reads it once.
 */

const context = useBrowserServer(() => ({ handoff: { businessHours: ALWAYS_OPEN } }));

/** The console online, a shopper who asked for a person, and their chat open with the reply box. */
async function chatOpenWithAShopper(page: Page) {
  await page.goto(`${context.server.httpUrl}/agent`);
  await page.locator('.presence.online').first().waitFor();
  const shopper = await ShopperClient.connect(context.server.socketUrl);
  const welcome = await shopper.hello({ lang: 'es' });
  shopper.send({ type: 'handoff_request' });
  await page.getByRole('tab', { name: /Mis chats/ }).click();
  await page.locator('.list .card').first().click();
  await page.locator('.chat-header h2').waitFor();
  return { shopper, welcome, reply: page.getByRole('textbox', { name: 'Respuesta' }) };
}

test('a reply whose ack was lost with the connection is sent again on reconnect and stored once', async () => {
  const { server, browser } = context;
  const page = await agentPage(browser, server, await agentCookie(server, 'ana@tienda.example', 'Ana'));
  const problems = collectPageProblems(page);
  let dropped = false;
  /** Frames the console was given after the drop. */
  const afterDrop: string[] = [];
  // Between the console and the server: the first ack is swallowed and the connection cut, as a network drop would.
  await page.routeWebSocket(/\/agent\/socket$/, (console) => {
    const upstream = console.connectToServer();
    upstream.onMessage((frame) => {
      if (!dropped && (JSON.parse(String(frame)) as { type: string }).type === 'ack') {
        dropped = true;
        upstream.close();
        return console.close({ code: 4000, reason: 'network drop' });
      }
      if (dropped) afterDrop.push((JSON.parse(String(frame)) as { type: string }).type);
      console.send(frame);
    });
    console.onMessage((frame) => upstream.send(frame));
  });
  const { shopper, welcome, reply } = await chatOpenWithAShopper(page);
  await reply.fill('Hola, soy Ana: reviso tu pedido');
  await reply.press('Enter');

  expect((await shopper.nextMessageFrom('agent')).text).toBe('Hola, soy Ana: reviso tu pedido');
  // Reconnected (a new welcome), and the reply sent again was acknowledged.
  await eventually(() => expect(afterDrop).toEqual(expect.arrayContaining(['welcome', 'ack'])), 10_000);
  const agentTexts = () => dbOf(server.app.store).prepare("SELECT text FROM messages WHERE conversation_id = ? AND sender = 'agent'").all(welcome.conversationId);
  await page.locator('.msg.from-agent', { hasText: 'reviso tu pedido' }).waitFor();
  // Nothing reached the shopper twice, nor the transcripts.
  expect((await shopper.unread()).filter((frame) => frame.type === 'message')).toEqual([]);
  expect(agentTexts()).toEqual([{ text: 'Hola, soy Ana: reviso tu pedido' }]);
  expect(await page.locator('.msg.from-agent', { hasText: 'reviso tu pedido' }).count()).toBe(1);
  expect(await reply.inputValue()).toBe('');
  expect(problems).toEqual([]);
  await shopper.close();
});

test('a connection that died silently: after 15 s without an answer the console says the reply will go on reconnecting, and it reaches the shopper once', async () => {
  const { server, browser } = context;
  const page = await agentPage(browser, server, await agentCookie(server, 'bea@tienda.example', 'Bea'));
  const problems = collectPageProblems(page);
  // The first connection goes quiet when told to (nothing forwarded either way, nothing closed), as a dead network does.
  let connections = 0;
  let silent = false;
  await page.routeWebSocket(/\/agent\/socket$/, (console) => {
    const first = connections++ === 0;
    const upstream = console.connectToServer();
    upstream.onMessage((frame) => (first && silent) || console.send(frame));
    console.onMessage((frame) => (first && silent) || upstream.send(frame));
  });
  const { shopper, welcome, reply } = await chatOpenWithAShopper(page);

  silent = true;
  await reply.fill('Hola, soy Bea: ya lo reviso');
  await reply.press('Enter');
  await page.getByText('Sin conexión: 1 mensaje(s) sin confirmar se enviarán al reconectar; no hace falta escribirlos de nuevo.').waitFor({ timeout: 25_000 });

  expect((await shopper.nextMessageFrom('agent')).text).toBe('Hola, soy Bea: ya lo reviso');
  await page.locator('.msg.from-agent', { hasText: 'ya lo reviso' }).waitFor();
  const agentTexts = dbOf(server.app.store).prepare("SELECT text FROM messages WHERE conversation_id = ? AND sender = 'agent'").all(welcome.conversationId);
  expect(agentTexts).toEqual([{ text: 'Hola, soy Bea: ya lo reviso' }]);
  expect(connections).toBe(2);
  expect(problems).toEqual([]);
  await shopper.close();
}, 60_000);
