import { startTestServer, useShopperServer } from '../helpers/app';
import { ShopperClient } from '../helpers/shopper-client';

const context = useShopperServer({ limits: { maxFrameBytes: 1024, maxMessageChars: 200, messagesPerMinute: 5, newConversationsPerMinute: 1000 } });
const shopper = () => context.shopper();

test.each([
  ['not JSON', '{"type": "message"', 'bad_frame'],
  ['not an object', '[1,2,3]', 'bad_frame'],
  ['no type', '{"text":"hola"}', 'unknown_frame'],
  ['an unknown type', '{"type":"delete_everything"}', 'unknown_frame'],
  ['a message without text', '{"type":"message","clientMessageId":"a"}', 'bad_frame'],
  ['a message with a number as text', '{"type":"message","clientMessageId":"a","text":42}', 'bad_frame'],
  ['an empty message', '{"type":"message","clientMessageId":"a","text":"   "}', 'bad_frame'],
  ['feedback on a non-number id', '{"type":"feedback","messageId":"1","helpful":true}', 'bad_frame'],
  ['a second hello', '{"type":"hello"}', 'already_greeted'],
])('%s → an error frame, and the socket keeps working', async (_name, raw, code) => {
  const client = await shopper();
  await client.hello({ lang: 'es' });
  client.send(raw);
  expect(await client.next('error')).toMatchObject({ code });
  const { reply } = await client.ask('¿cuánto cuesta el envío?');
  expect(reply.entryId).toBe('shipping-cost');
});

test('any frame before hello → hello_required', async () => {
  const client = await shopper();
  client.send({ type: 'message', clientMessageId: 'early', text: 'hola' });
  expect(await client.next('error')).toMatchObject({ code: 'hello_required', clientMessageId: 'early' });
});

test('a binary frame → bad_frame', async () => {
  const client = await shopper();
  await client.hello();
  client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
  expect(await client.next('error')).toMatchObject({ code: 'bad_frame' });
});

test('a message over the length limit → message_too_long, nothing stored', async () => {
  const client = await shopper();
  const welcome = await client.hello();
  client.send({ type: 'message', clientMessageId: 'long', text: 'a'.repeat(201) });
  expect(await client.next('error')).toMatchObject({ code: 'message_too_long', clientMessageId: 'long' });
  expect(await context.server.app.store.messages.listAfter(welcome.conversationId as string)).toEqual([]);
});

test('a frame over the size limit → frame_too_large; one far over it closes that socket only', async () => {
  const client = await shopper();
  await client.hello();
  client.send({ type: 'message', clientMessageId: 'big', text: 'a'.repeat(2000) });
  expect(await client.next('error')).toMatchObject({ code: 'frame_too_large' });

  client.send('x'.repeat(10_000));
  await client.waitForClose();
  expect(client.closed?.code).toBe(1009);

  const other = await shopper();
  await other.hello();
  expect((await other.ask('¿cuánto cuesta el envío?')).reply.entryId).toBe('shipping-cost');
});

test('more messages per minute than allowed → rate_limited, nothing stored beyond the limit', async () => {
  const client = await shopper();
  const welcome = await client.hello();
  for (let i = 0; i < 5; i++) await client.ask(`hola ${i}`, `r${i}`);
  client.send({ type: 'message', clientMessageId: 'r5', text: 'hola 5' });
  expect(await client.next('error')).toMatchObject({ code: 'rate_limited', clientMessageId: 'r5' });
  const shopperMessages = (await context.server.app.store.messages.listAfter(welcome.conversationId as string)).filter((m) => m.sender === 'shopper');
  expect(shopperMessages).toHaveLength(5);
});

test('HTTP: /healthz reports the knowledge version and the database; unknown paths are JSON 404s', async () => {
  const health = await fetch(`${context.server.httpUrl}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok', knowledgeVersion: context.engineHost.current().version, database: 'ok' });
  const missing = await fetch(`${context.server.httpUrl}/nope`);
  expect(missing.status).toBe(404);
  expect(await missing.json()).toEqual({ error: { code: 'not_found', message: 'Not found.' } });
});

test('HTTP: an oversized body is refused with 413', async () => {
  const response = await fetch(`${context.server.httpUrl}/healthz`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ a: 'x'.repeat(100_000) }),
  });
  expect(response.status).toBe(413);
});

test('new conversations are limited per shopper address, read from the local proxy’s X-Forwarded-For', async () => {
  const limited = await startTestServer({ deps: { engineHost: context.engineHost }, config: { limits: { newConversationsPerMinute: 1 } } });
  const from = (address: string) => ShopperClient.connect(limited.socketUrl, { headers: { 'x-forwarded-for': `10.0.0.9, ${address}` } });
  const first = await from('203.0.113.7');
  await first.hello();
  const second = await from('203.0.113.7');
  second.send({ type: 'hello' });
  expect(await second.next('error')).toMatchObject({ code: 'rate_limited' });
  await second.waitForClose();
  expect(second.closed?.code).toBe(1008);
  const neighbour = await from('198.51.100.4');
  expect((await neighbour.hello()).type).toBe('welcome');
  await Promise.all([first.close(), neighbour.close()]);
  await limited.stop();
});
