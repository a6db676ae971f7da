import type { Engine, EngineHost } from '../../src/engine';
import { projectEngineHost, startTestServer, type TestServer } from '../helpers/app';
import { ShopperClient } from '../helpers/shopper-client';
import { dbOf } from '../helpers/db';

/** A bot turn that throws after the ack: the shopper gets an apology now and an answer on retry. */

let real: EngineHost;
let server: TestServer;
let failuresLeft = 0;

/** The real engine, except that `respond` throws while failuresLeft > 0. */
const flaky: EngineHost = {
  current(): Engine {
    const engine = real.current();
    return {
      ...engine,
      respond(text, context) {
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          throw new Error('engine exploded (test)');
        }
        return engine.respond(text, context);
      },
    };
  },
  reload: () => real.reload(),
  status: () => real.status(),
  close: () => {},
};

beforeAll(async () => {
  real = projectEngineHost();
  // In the event loop: the engine thread builds its own engine from the knowledge base, without this test's fault.
  server = await startTestServer({ deps: { engineHost: flaky }, config: { engineThread: false } });
});
afterAll(async () => {
  await server.stop();
  real.close();
});

test('the turn fails once: an apology at once, and the retry of the same message gets the real answer', async () => {
  const client = await ShopperClient.connect(server.socketUrl);
  await client.hello({ lang: 'es' });
  failuresLeft = 1;
  client.send({ type: 'message', clientMessageId: 'q-1', text: '¿cuánto cuesta el envío?' });
  const ack = await client.next('ack');
  const apology = await client.nextMessageFrom('bot');
  expect(apology.text).toMatch(/Perdón, tuve un problema/);

  client.send({ type: 'message', clientMessageId: 'q-1', text: '¿cuánto cuesta el envío?' });
  expect((await client.next('ack')).messageId).toBe(ack.messageId);
  const answer = await client.nextMessageFrom('bot');
  expect(answer.entryId).toBe('shipping-cost');

  // Answered now: a third retry is only acknowledged, never answered twice.
  client.send({ type: 'message', clientMessageId: 'q-1', text: '¿cuánto cuesta el envío?' });
  await client.next('ack');
  client.send({ type: 'message', clientMessageId: 'q-2', text: 'gracias' });
  await client.next('ack');
  const next = await client.nextMessageFrom('bot');
  expect(next.entryId).not.toBe('shipping-cost');
  const shopperRows = dbOf(server.app.store).prepare("SELECT COUNT(*) AS n FROM messages WHERE sender = 'shopper'").get() as { n: number };
  expect(shopperRows.n).toBe(2);
  await client.close();
});

test('the retry fails too: another apology, and the retry after that is answered', async () => {
  const client = await ShopperClient.connect(server.socketUrl);
  await client.hello({ lang: 'es' });
  failuresLeft = Number.POSITIVE_INFINITY; // the message is understood ahead of its turn too: count neither
  client.send({ type: 'message', clientMessageId: 'r-1', text: '¿cuánto cuesta el envío?' });
  await client.next('ack');
  expect((await client.nextMessageFrom('bot')).text).toMatch(/Perdón, tuve un problema/);

  client.send({ type: 'message', clientMessageId: 'r-1', text: '¿cuánto cuesta el envío?' });
  await client.next('ack');
  expect((await client.nextMessageFrom('bot')).text).toMatch(/Perdón, tuve un problema/);

  failuresLeft = 0;
  client.send({ type: 'message', clientMessageId: 'r-1', text: '¿cuánto cuesta el envío?' });
  await client.next('ack');
  expect((await client.nextMessageFrom('bot')).entryId).toBe('shipping-cost');
  await client.close();
});

test('a question stored but never answered (its node died in between) is answered when the client re-sends it', async () => {
  const client = await ShopperClient.connect(server.socketUrl);
  const welcome = await client.hello({ lang: 'es' });
  // What a node killed right after storing the question leaves behind: the question, and no answer.
  const orphan = await server.app.store.messages.insert({ conversationId: String(welcome.conversationId), sender: 'shopper', text: '¿cuánto cuesta el envío?', lang: 'es', clientMessageId: 'q-orphan' });

  client.send({ type: 'message', clientMessageId: 'q-orphan', text: '¿cuánto cuesta el envío?' });
  expect((await client.next('ack')).messageId).toBe(orphan.id);
  const answer = await client.nextMessageFrom('bot');
  expect(answer.entryId).toBe('shipping-cost');

  // Answered now: another retry is only acknowledged.
  client.send({ type: 'message', clientMessageId: 'q-orphan', text: '¿cuánto cuesta el envío?' });
  await client.next('ack');
  client.send({ type: 'message', clientMessageId: 'q-next', text: 'gracias' });
  await client.next('ack');
  expect((await client.nextMessageFrom('bot')).entryId).not.toBe('shipping-cost');
  await client.close();
});
