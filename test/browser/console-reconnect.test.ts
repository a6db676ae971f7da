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
  await page.goto(`${server.httpUrl}/agent`);
  await page.locator('.presence.online').first().waitFor();

  const shopper = await ShopperClient.connect(server.socketUrl);
  const welcome = await shopper.hello({ lang: 'es' });
  shopper.send({ type: 'handoff_request' });
  await page.getByRole('tab', { name: /Mis chats/ }).click();
  await page.locator('.list .card').first().click();
  const reply = page.getByRole('textbox', { name: 'Respuesta' });
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
