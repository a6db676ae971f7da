import { projectEngineHost, startTestServer, tempDataDir, type TestServer } from '../helpers/app';
import { ShopperClient } from '../helpers/shopper-client';
import type { EngineHost } from '../../src/engine';
import type { PostgresStore } from '../../src/store/postgres';

/**
 * The real server on PostgreSQL (as `npm run test:pg` runs every server of the integration suite), and two
 * nodes on one database: what one acknowledged, the other shows.
 */
let engineHost: EngineHost;
const servers: TestServer[] = [];
const clients: ShopperClient[] = [];
beforeAll(() => {
  engineHost = projectEngineHost();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await Promise.all(servers.map((server) => server.stop()));
  engineHost.close();
});

const node = async (dataDir: string) => {
  const server = await startTestServer({ dataDir, deps: { engineHost } });
  servers.push(server);
  return server;
};
const shopper = async (server: TestServer) => {
  const client = await ShopperClient.connect(server.socketUrl);
  clients.push(client);
  return client;
};

test('a question is committed to PostgreSQL before its ack; another node resumes the conversation from there', async () => {
  const dataDir = tempDataDir();
  const first = await node(dataDir);
  const second = await node(dataDir); // same database, same session secret: a second node behind a load balancer

  const client = await shopper(first);
  const welcome = await client.hello({ lang: 'es' });
  client.send({ type: 'message', clientMessageId: 'q1', text: '¿cuánto cuesta el envío?' });
  const ack = await client.next('ack');
  const reply = await client.nextMessageFrom('bot');
  expect(reply).toMatchObject({ action: 'answer', entryId: 'shipping-cost' });

  // Read straight from PostgreSQL.
  const { rows } = await (first.app.store as PostgresStore).pool.query('SELECT sender, text, client_message_id FROM messages WHERE conversation_id = $1 ORDER BY id', [
    welcome.conversationId,
  ]);
  expect(rows[0]).toEqual({ sender: 'shopper', text: '¿cuánto cuesta el envío?', client_message_id: 'q1' });
  expect(rows).toHaveLength(2);

  const resumed = await shopper(second);
  const welcomeBack = await resumed.hello({ token: welcome.token as string, lastSeenId: 0 });
  expect(welcomeBack).toMatchObject({ type: 'welcome', resumed: true, conversationId: welcome.conversationId });
  const history = await resumed.unread();
  expect(history.map((frame) => frame.id)).toEqual([ack.messageId, reply.id]);

  // A retry of the same clientMessageId on the other node is recognised, not stored twice.
  resumed.send({ type: 'message', clientMessageId: 'q1', text: '¿cuánto cuesta el envío?' });
  expect(await resumed.next('ack')).toMatchObject({ clientMessageId: 'q1', messageId: ack.messageId });
});
