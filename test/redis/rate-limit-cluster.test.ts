import { connectRedisBus, type Bus } from '../../src/bus';
import type { EngineHost } from '../../src/engine';
import { projectEngineHost, startTestServer, type TestServer } from '../helpers/app';
import { startTestRedis, type TestRedis } from '../helpers/redis';
import { ShopperClient } from '../helpers/shopper-client';

/**
 * Two nodes on one Redis count the shopper limits together: an address whose sockets the load balancer
 * spreads over both nodes gets the new-conversation limit once, not once per node. (Each node has its
 * own SQLite file here; a conversation resumed on another node needs the shared database.)
 */

let redis: TestRedis;
let engineHost: EngineHost;
const buses: Bus[] = [];
const nodes: TestServer[] = [];
const clients: ShopperClient[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  engineHost = projectEngineHost();
  for (let i = 0; i < 2; i++) {
    const sharedBus = await connectRedisBus({ url: redis.url });
    buses.push(sharedBus);
    nodes.push(
      await startTestServer({
        config: { limits: { newConversationsPerMinute: 3 } },
        deps: { engineHost, sharedBus },
      }),
    );
  }
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});
afterAll(async () => {
  await Promise.all(nodes.map((node) => node.stop()));
  await Promise.all(buses.map((bus) => bus.close()));
  engineHost?.close();
  await redis?.remove();
});

async function shopperOn(node: TestServer, address: string): Promise<ShopperClient> {
  const client = await ShopperClient.connect(node.socketUrl, { headers: { 'x-forwarded-for': address } });
  clients.push(client);
  return client;
}

test('new conversations from one address, spread over two nodes, meet one limit', async () => {
  const [a, b] = nodes as [TestServer, TestServer];
  for (const node of [a, b, a]) expect((await (await shopperOn(node, '203.0.113.7')).hello()).type).toBe('welcome');
  // Alone, node b would have seen one conversation from this address, far under its limit of 3.
  const fourth = await shopperOn(b, '203.0.113.7');
  fourth.send({ type: 'hello' });
  expect(await fourth.next('error')).toMatchObject({ code: 'rate_limited' });
  await fourth.waitForClose();
  expect(fourth.closed?.code).toBe(1008);
  // Another address is not affected, on either node.
  expect((await (await shopperOn(b, '198.51.100.4')).hello()).type).toBe('welcome');
});

test('with Redis down shoppers keep chatting, and each node counts new conversations on its own until it is back', async () => {
  const [a] = nodes as [TestServer];
  const shopper = await shopperOn(a, '192.0.2.50');
  await shopper.hello();
  await redis.stop();
  try {
    expect((await shopper.ask('¿cuánto cuesta el envío?')).reply).toMatchObject({ type: 'message', from: 'bot' });
    for (let i = 0; i < 3; i++) expect((await (await shopperOn(a, '192.0.2.60')).hello()).type).toBe('welcome');
    const fourth = await shopperOn(a, '192.0.2.60');
    fourth.send({ type: 'hello' });
    expect(await fourth.next('error')).toMatchObject({ code: 'rate_limited' });
  } finally {
    await redis.start();
  }
});
