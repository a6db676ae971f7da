import { connectRedisBus, type Bus } from '../../src/bus';
import type { EngineHost } from '../../src/engine';
import { connectAgent } from '../helpers/agent-client';
import { ALWAYS_OPEN, projectEngineHost, startTestServer, tempDataDir, type TestServer } from '../helpers/app';
import { startTestRedis, type TestRedis } from '../helpers/redis';
import { ShopperClient, type Frame } from '../helpers/shopper-client';
import { eventually } from '../helpers/wait';

/**
 * Two nodes in one process, one PostgreSQL database (npm run test:pg) and one Redis: whatever node a
 * shopper's tab or an agent's console is connected to, they chat as if there were one server. The child
 * process version, with a node killed, is test/cluster/kill-node.test.ts.
 */

/** How long presence, queues and messages may take to cross nodes (Redis and PostgreSQL in between). */
const CROSS_NODE_MS = 3000;

let redis: TestRedis;
let engineHost: EngineHost;
const buses: Bus[] = [];
let a: TestServer;
let b: TestServer;
const clients: ShopperClient[] = [];

async function node(dataDir: string): Promise<TestServer> {
  const sharedBus = await connectRedisBus({ url: redis.url });
  buses.push(sharedBus);
  return startTestServer({
    dataDir,
    config: { sessionSecret: 'a-session-secret-shared-by-both-nodes', handoff: { businessHours: ALWAYS_OPEN, agentCapacity: 5 } },
    deps: { engineHost, sharedBus },
  });
}

beforeAll(async () => {
  redis = await startTestRedis();
  engineHost = projectEngineHost();
  const dataDir = tempDataDir();
  a = await node(dataDir);
  b = await node(dataDir);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});
afterAll(async () => {
  await Promise.all([a, b].filter(Boolean).map((server) => server.stop()));
  await Promise.all(buses.map((bus) => bus.close()));
  engineHost?.close();
  await redis?.remove();
});

async function shopperOn(server: TestServer, fields: { token?: string } = {}): Promise<{ client: ShopperClient; welcome: Frame }> {
  const client = await ShopperClient.connect(server.socketUrl);
  clients.push(client);
  return { client, welcome: await client.hello({ lang: 'es', ...fields }) };
}

async function agentOn(server: TestServer, email: string): Promise<{ client: ShopperClient; welcome: Frame }> {
  const agent = await connectAgent(server, email);
  clients.push(agent.client);
  return agent;
}

test('a shopper on node A and an agent on node B: the handoff is routed across nodes and they chat both ways', async () => {
  const ana = await agentOn(b, 'ana@tienda.example');
  // Node A has no console open, yet knows a person can help.
  await eventually(() => expect(a.app.handoff.availability('es').agentsNow).toBe(true), CROSS_NODE_MS);
  const shopper = await shopperOn(a);
  expect(shopper.welcome.agentsAvailable).toBe(true);

  shopper.client.send({ type: 'handoff_request' });
  const assigned = await ana.client.next('assigned');
  expect(assigned.conversationId).toBe(shopper.welcome.conversationId);
  expect(await shopper.client.next('status')).toMatchObject({ state: 'agent', agentName: 'ana' });

  shopper.client.send({ type: 'message', clientMessageId: 'q1', text: 'mi pedido no llegó' });
  const seen = await ana.client.next('message');
  expect(seen).toMatchObject({ conversationId: shopper.welcome.conversationId, message: { text: 'mi pedido no llegó', from: 'shopper' } });

  ana.client.send({ type: 'message', conversationId: shopper.welcome.conversationId, clientMessageId: 'r1', text: 'Lo reviso ahora mismo.' });
  const reply = await shopper.client.nextMessageFrom('agent');
  expect(reply).toMatchObject({ text: 'Lo reviso ahora mismo.', authorName: 'ana' });

  // The shopper's second tab, on the other node, sees the same conversation live.
  const secondTab = await shopperOn(b, { token: String(shopper.welcome.token) });
  expect(secondTab.welcome.resumed).toBe(true);
  expect(await secondTab.client.next('status')).toMatchObject({ state: 'agent', agentName: 'ana' });
  ana.client.send({ type: 'resolve', conversationId: shopper.welcome.conversationId });
  expect(await secondTab.client.next('status')).toMatchObject({ state: 'resolved' });
  expect(await shopper.client.next('status')).toMatchObject({ state: 'resolved' });
  await ana.client.close();
  await eventually(() => expect(a.app.handoff.availability('es').agentsNow).toBe(false), CROSS_NODE_MS);
});

test('two nodes routing the same waiting conversation at once assign it to one agent only', async () => {
  // Nobody online: the request waits in the queue (the shopper leaves the form for the queue below).
  const shoppers = await Promise.all([shopperOn(a), shopperOn(b)]);
  const conversationIds = shoppers.map(({ welcome }) => String(welcome.conversationId));
  for (const id of conversationIds) {
    await a.app.store.handoffs.request(id, { reason: 'button', lang: 'es' }, { from: 'bot', to: 'waiting' });
  }
  // Two agents come online at the same moment, one on each node: both nodes route the whole queue.
  const [carla, dario] = await Promise.all([agentOn(a, 'carla@tienda.example'), agentOn(b, 'dario@tienda.example')]);
  await eventually(async () => expect(await a.app.store.handoffs.queue()).toHaveLength(0), CROSS_NODE_MS);
  // An assignment made by the other node reaches the console through Redis, after the database says so.
  const assignments = async (): Promise<Map<string, string[]>> => {
    const assignedTo = new Map<string, string[]>();
    for (const [name, agent] of [['carla', carla], ['dario', dario]] as const) {
      for (const frame of await agent.client.unread()) {
        if (frame.type === 'assigned') assignedTo.set(String(frame.conversationId), [...(assignedTo.get(String(frame.conversationId)) ?? []), name]);
      }
    }
    return assignedTo;
  };
  await eventually(async () => expect([...(await assignments()).keys()].sort()).toEqual([...conversationIds].sort()), CROSS_NODE_MS);
  // Time for a second, wrong assignment to arrive too, before counting.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const assignedTo = await assignments();
  for (const id of conversationIds) {
    expect(assignedTo.get(id)).toHaveLength(1);
    const joined = (await a.app.store.messages.listAfter(id, 0)).filter((message) => message.sender === 'system');
    expect(joined).toHaveLength(1);
    const holder = (await a.app.store.handoffs.current(id))!.agentId;
    expect(holder).toBeTruthy();
  }
});

test("a message sent by the shopper's two tabs on two nodes at once is stored and answered once", async () => {
  const first = await shopperOn(a);
  const second = await shopperOn(b, { token: String(first.welcome.token) });
  const frame = { type: 'message', clientMessageId: 'same-on-both', text: '¿cuánto cuesta el envío?' };
  first.client.send(frame);
  second.client.send(frame);
  // Either node may win the turn's lease: the other tab is acknowledged after the answer.
  const [onA, onB] = await Promise.all([ackAndAnswer(first.client), ackAndAnswer(second.client)]);
  const [ackA, ackB, answer] = [onA.ack, onB.ack, onA.answer];
  expect(ackA.messageId).toBe(ackB.messageId);
  expect(onB.answer.id).toBe(answer.id);
  const conversationId = String(first.welcome.conversationId);
  const stored = await a.app.store.messages.listAfter(conversationId, 0);
  expect(stored.filter((message) => message.clientMessageId === 'same-on-both').map((message) => message.id)).toEqual([ackA.messageId]);
  expect(stored.filter((message) => message.sender === 'bot').map((message) => message.id)).toEqual([answer.id]);
  // Nothing more comes: the other node did not answer it a second time.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const messagesAfter = async (client: ShopperClient, seen: Frame[]) => (await client.unread()).filter((frame) => frame.type === 'message' && !seen.includes(frame));
  expect(await messagesAfter(first.client, onA.frames)).toEqual([]);
  expect(await messagesAfter(second.client, onB.frames)).toEqual([]);
});

test("a shopper's tabs on two nodes: the sending tab gets its ack and the answer, not its own message; the tab on the other node gets both", async () => {
  const first = await shopperOn(a);
  const second = await shopperOn(b, { token: String(first.welcome.token) });
  const sinceSecond = second.client.frames.length;
  first.client.send({ type: 'message', clientMessageId: 'from-a', text: '¿cuánto cuesta el envío?' });
  const onA = await ackAndAnswer(first.client);
  await eventually(async () => expect((await second.client.unread()).some((frame) => frame.type === 'message' && frame.from === 'bot')).toBe(true), CROSS_NODE_MS);
  const messages = (frames: Frame[]) => frames.filter((frame) => frame.type === 'message').map((frame) => [frame.from, frame.id]);
  expect(messages(onA.frames)).toEqual([['bot', onA.answer.id]]);
  expect(messages(second.client.frames.slice(sinceSecond))).toEqual([
    ['shopper', onA.ack.messageId],
    ['bot', onA.answer.id],
  ]);
  expect(second.client.frames.find((frame) => frame.id === onA.ack.messageId)).toMatchObject({ from: 'shopper', clientMessageId: 'from-a', text: '¿cuánto cuesta el envío?' });
});

/** The tab's ack and the bot's answer, in whichever order they came, with every frame read so far. */
async function ackAndAnswer(client: ShopperClient): Promise<{ ack: Frame; answer: Frame; frames: Frame[] }> {
  let frames: Frame[] = [];
  const ack = () => frames.find((frame) => frame.type === 'ack');
  const answer = () => frames.find((frame) => frame.type === 'message' && frame.from === 'bot');
  await eventually(async () => {
    frames = await client.unread();
    expect([ack(), answer()]).toEqual([expect.anything(), expect.anything()]);
  }, CROSS_NODE_MS);
  return { ack: ack()!, answer: answer()!, frames };
}
