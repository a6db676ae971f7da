import type { SqliteStore } from '../../src/store';
import { connectAgent } from '../helpers/agent-client';
import { ALWAYS_OPEN, startTestServer, type TestServer } from '../helpers/app';
import { trapCommitsOfMessagesWith } from '../helpers/commit-trap';
import { ShopperClient } from '../helpers/shopper-client';

/**
 * A group commit that fails (disk full, I/O error) rolls back the writes of every turn in it. The
 * sockets that were to hear of those writes are closed with 1012 ("service restart"): the widget and the
 * console reconnect and send again what was not acknowledged. Before, the acks were silently dropped and
 * the widget waited for good. SQLite only: PostgreSQL writes fail one by one (turn-failure).
 */
let server: TestServer;
let store: SqliteStore;

beforeAll(async () => {
  // Open around the clock: a handoff must find the agent whenever the tests run.
  server = await startTestServer({ config: { handoff: { businessHours: ALWAYS_OPEN } } });
  store = server.app.store as SqliteStore;
});
afterAll(() => server.stop());

/** A shopper who asked for a person, and the agent (the only one online) who got the chat. */
async function shopperWithAgent(email: string, name: string) {
  const shopper = await ShopperClient.connect(server.socketUrl);
  const welcome = await shopper.hello({ lang: 'es' });
  const agent = await connectAgent(server, email, name);
  shopper.send({ type: 'handoff_request' });
  await agent.client.next('assigned');
  return { shopper, welcome, agent };
}

const messagesIn = (conversationId: unknown) =>
  store.db.prepare('SELECT sender, kind, text FROM messages WHERE conversation_id = ? ORDER BY id').all(conversationId) as Array<{ sender: string; kind: string; text: string }>;

test('the shopper socket is closed with 1012, nothing of the message is kept, and sending it again after reconnecting gets it answered once', async () => {
  const shopper = await ShopperClient.connect(server.socketUrl);
  const welcome = await shopper.hello({ lang: 'es' });
  const question = { type: 'message', clientMessageId: 'q-disk', text: '¿cuánto cuesta el envío? disco lleno' };
  const untrap = trapCommitsOfMessagesWith(store.db, 'disco lleno');

  shopper.send(question);
  await shopper.waitForClose();
  expect(shopper.closed?.code).toBe(1012);
  expect(messagesIn(welcome.conversationId)).toEqual([]);

  untrap();
  const again = await ShopperClient.connect(server.socketUrl);
  expect((await again.hello({ token: String(welcome.token) })).conversationId).toBe(welcome.conversationId);
  again.send(question);
  await again.next('ack');
  expect((await again.nextMessageFrom('bot')).entryId).toBe('shipping-cost');
  expect(messagesIn(welcome.conversationId).map((m) => m.sender)).toEqual(['shopper', 'bot']);
  await again.close();
});

test("a console that was to show a lost message is closed with 1012 too, and comes back to the chat as stored", async () => {
  const { shopper, welcome, agent: ana } = await shopperWithAgent('ana@tienda.example', 'Ana');
  const untrap = trapCommitsOfMessagesWith(store.db, 'disco lleno');

  shopper.send({ type: 'message', clientMessageId: 'q-lost', text: 'hola, disco lleno' });
  await Promise.all([shopper.waitForClose(), ana.client.waitForClose()]);
  expect([shopper.closed?.code, ana.client.closed?.code]).toEqual([1012, 1012]);
  untrap();

  const back = await connectAgent(server, 'ana@tienda.example', 'Ana');
  expect((back.welcome.chats as Array<{ conversationId: string }>).map((chat) => chat.conversationId)).toEqual([welcome.conversationId]);
  back.client.send({ type: 'open', conversationId: welcome.conversationId });
  const transcript = await back.client.next('conversation');
  expect(JSON.stringify(transcript.messages)).not.toContain('disco lleno');
  await back.client.close();
});

test("an agent's reply or note whose write fails is refused with its clientMessageId; sent again, each is stored once however often it comes", async () => {
  const { shopper, welcome, agent: beto } = await shopperWithAgent('beto@tienda.example', 'Beto');
  const reply = { type: 'message', conversationId: welcome.conversationId, clientMessageId: 'a-disk', text: 'Te ayudo enseguida (disco lleno)' };
  const note = { type: 'note', conversationId: welcome.conversationId, clientMessageId: 'n-disk', text: 'revisar pedido (disco lleno)' };
  const untrap = trapCommitsOfMessagesWith(store.db, 'disco lleno');

  beto.client.send(reply);
  expect(await beto.client.next('error')).toMatchObject({ code: 'internal', clientMessageId: 'a-disk' });
  const fromAgents = () => messagesIn(welcome.conversationId).filter((m) => m.sender === 'agent');
  expect(fromAgents()).toEqual([]);

  untrap();
  // What the console does after reconnecting: everything unacknowledged again; here twice, as if the ack was lost too.
  for (const frame of [reply, note, reply, note]) beto.client.send(frame);
  const acks = [];
  for (let i = 0; i < 4; i++) acks.push(await beto.client.next('ack'));
  expect(acks.map((ack) => ack.clientMessageId)).toEqual(['a-disk', 'n-disk', 'a-disk', 'n-disk']);
  expect([acks[2]!.messageId, acks[3]!.messageId]).toEqual([acks[0]!.messageId, acks[1]!.messageId]);
  expect(fromAgents()).toEqual([
    { sender: 'agent', kind: 'text', text: reply.text },
    { sender: 'agent', kind: 'note', text: note.text },
  ]);
  expect((await shopper.nextMessageFrom('agent')).text).toBe(reply.text);

  // Resolved meanwhile (the console sent both before its connection dropped): the retry is still acknowledged, not refused.
  beto.client.send({ type: 'resolve', conversationId: welcome.conversationId });
  await beto.client.next('ok');
  beto.client.send(reply);
  expect(await beto.client.next('ack')).toMatchObject({ clientMessageId: 'a-disk', messageId: acks[0]!.messageId });
  await Promise.all([shopper.close(), beto.client.close()]);
});
