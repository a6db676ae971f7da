import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ALWAYS_OPEN, tempDataDir } from '../helpers/app';
import { ensureBundle, runCli } from '../cli/run-cli';
import { createTestDatabase } from '../helpers/postgres';
import { startTestRedis, type TestRedis } from '../helpers/redis';
import { ShopperClient, type Frame } from '../helpers/shopper-client';
import { freePort } from '../helpers/ports';

/**
 * Three nodes as their own processes (the CLI's `serve`, as bin/atento.js runs it) on one PostgreSQL
 * (npm run test:pg) and one Redis, with shoppers and agents spread over them. One node is killed with
 * SIGKILL mid-chat; its clients reconnect to the others. Nothing acknowledged is lost or doubled, the
 * assignments hold, and the killed node's agent drops out of the others' presence within its TTL.
 */

jest.setTimeout(90_000);

const ROOT = path.join(__dirname, '..', '..');
const AGENTS = ['ana', 'beto', 'carla'];
const SHOPPERS = 30;
const ESCALATED = 6;
const SESSION_SECRET = 'one-session-secret-for-the-three-nodes';

interface Node {
  index: number;
  child: ChildProcess;
  httpUrl: string;
  socketUrl: string;
  exited: Promise<unknown>;
}

let redis: TestRedis;
let databaseUrl: string;
let configFile: string;
const passwords = new Map<string, string>();
const nodes: Node[] = [];
const open: ShopperClient[] = [];

const clusterEnv = (dataDir: string) => ({
  ATENTO_DATA_DIR: dataDir,
  ATENTO_CONFIG: configFile,
  ATENTO_DATABASE_URL: databaseUrl,
  ATENTO_REDIS_URL: redis.url,
  ATENTO_CLUSTER: 'on',
  ATENTO_SESSION_SECRET: SESSION_SECRET,
});

async function startNode(index: number): Promise<Node> {
  const port = await freePort();
  const child = spawn(process.execPath, [ensureBundle(), 'serve'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), ...clusterEnv(tempDataDir()) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += String(chunk);
      if (output.includes('listening on')) resolve();
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += String(chunk)));
    void exited.then(() => reject(new Error(`node ${index} exited before listening:\n${output}`)));
  });
  return { index, child, exited, httpUrl: `http://127.0.0.1:${port}`, socketUrl: `ws://127.0.0.1:${port}/ws/shopper` };
}

beforeAll(async () => {
  [redis, databaseUrl] = await Promise.all([startTestRedis(), createTestDatabase()]);
  const setupDir = tempDataDir();
  configFile = path.join(setupDir, 'config.json');
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      watchKnowledge: false,
      limits: { messagesPerMinute: 10_000, framesPerMinute: 10_000, socketsPerAddress: 1_000, newConversationsPerMinute: 1_000 },
      handoff: { businessHours: ALWAYS_OPEN, agentCapacity: 10, reconnectGraceSeconds: 60 },
    }),
  );
  // The accounts, made as an operator would: with the CLI, against the shared database (it migrates it too).
  for (const name of AGENTS) {
    const made = runCli(['agent', 'add', '--email', `${name}@tienda.example`, '--name', name], { env: clusterEnv(setupDir) });
    if (made.code !== 0) throw new Error(`atento agent add failed: ${made.stderr}`);
    passwords.set(name, /Password[^:]*: (\S+)/.exec(made.stdout)![1]!);
  }
  nodes.push(...(await Promise.all([0, 1, 2].map(startNode))));
});

afterAll(async () => {
  await Promise.all(open.splice(0).map((client) => client.close()));
  for (const { child } of nodes) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(nodes.map((node) => node.exited));
  await redis?.remove();
});

async function agentOn(node: Node, name: string): Promise<{ client: ShopperClient; welcome: Frame }> {
  const response = await fetch(`${node.httpUrl}/agent/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `${name}@tienda.example`, password: passwords.get(name) }),
  });
  expect(response.status).toBe(200);
  const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
  const client = await ShopperClient.connect(node.socketUrl.replace('/ws/shopper', '/agent/socket'), { headers: { cookie, origin: node.httpUrl } });
  open.push(client);
  return { client, welcome: await client.next('welcome') };
}

async function shopperOn(node: Node, token?: string): Promise<{ client: ShopperClient; welcome: Frame }> {
  const client = await ShopperClient.connect(node.socketUrl);
  open.push(client);
  return { client, welcome: await client.hello({ lang: 'es', ...(token ? { token } : {}) }) };
}

/** `promise`'s value, or null if it takes longer than `ms`. */
async function within<T>(ms: number, promise: Promise<T>): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

test('3 nodes, kill -9 one mid-chat: its clients move to the others, nothing acknowledged is lost or doubled, assignments hold', async () => {
  const [doomed, second, third] = nodes as [Node, Node, Node];
  // One agent per node; shoppers spread over the three.
  // One login at a time: the login limiter admits one attempt per address at a time, across nodes.
  const agents: Array<{ client: ShopperClient; welcome: Frame }> = [];
  for (const [index, name] of AGENTS.entries()) agents.push(await agentOn(nodes[index]!, name));
  const shoppers = await Promise.all(
    Array.from({ length: SHOPPERS }, async (_, i) => {
      const node = nodes[i % 3]!;
      const { client, welcome } = await shopperOn(node);
      return { i, node, client, token: String(welcome.token), conversationId: String(welcome.conversationId) };
    }),
  );

  // Some ask for a person: routing, by whichever node they are on, hands them to agents on any node.
  const escalated = shoppers.slice(0, ESCALATED);
  escalated.forEach(({ client }) => client.send({ type: 'handoff_request' }));
  const holderOf = new Map<string, number>();
  await Promise.all(
    agents.map(async ({ client }, agentIndex) => {
      while (holderOf.size < ESCALATED) {
        const frame = await within(5000, client.next('assigned'));
        if (!frame) return;
        holderOf.set(String(frame.conversationId), agentIndex);
      }
    }),
  );
  expect(holderOf.size).toBe(ESCALATED);
  const acrossNodes = escalated.filter(({ conversationId, node }) => holderOf.get(conversationId) !== node.index);
  expect(acrossNodes.length).toBeGreaterThan(0);

  // Everyone writes (each next message once the previous one is acknowledged); the agents answer their chats.
  const acked = new Map<string, { conversationId: string; messageId: number }>();
  let stop = false;
  const questions = ['¿cuánto cuesta el envío?', 'cuanto tarda en llegar', 'puedo pagar en cuotas', 'tienen tienda fisica'];
  const shopperLoops = shoppers.map(async ({ i, client, conversationId }) => {
    for (let n = 0; !stop; n++) {
      const id = `s${i}-${n}`;
      client.send({ type: 'message', clientMessageId: id, text: questions[n % questions.length] });
      const ack = await within(1500, client.next('ack'));
      if (!ack) return;
      acked.set(id, { conversationId, messageId: Number(ack.messageId) });
    }
  });
  const agentLoops = agents.map(async ({ client }, agentIndex) => {
    const mine = [...holderOf].filter(([, holder]) => holder === agentIndex).map(([id]) => id);
    for (let n = 0; !stop && mine.length > 0; n++) {
      const conversationId = mine[n % mine.length]!;
      const id = `a${agentIndex}-${n}`;
      client.send({ type: 'message', conversationId, clientMessageId: id, text: `respuesta ${n}` });
      const ack = await within(1500, client.next('ack'));
      if (!ack) return;
      acked.set(id, { conversationId, messageId: Number(ack.messageId) });
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  doomed.child.kill('SIGKILL');
  const killedAt = Date.now();
  await doomed.exited;
  await new Promise((resolve) => setTimeout(resolve, 500));
  stop = true;
  await Promise.all([...shopperLoops, ...agentLoops]);
  expect(acked.size).toBeGreaterThan(100);
  await Promise.all(open.splice(0).map((client) => client.close()));

  // The killed node's agent drops out of the survivors' presence within the TTL (15 s, plus a heartbeat).
  const watcher = await agentOn(second, 'beto');
  const anaGone = (async () => {
    for (;;) {
      const frame = await watcher.client.next('agents');
      if ((frame.items as Array<{ name: string; online: boolean }>).some((agent) => agent.name === 'ana' && !agent.online)) return Date.now();
    }
  })();

  // Every shopper comes back on a surviving node and gets each acknowledged message of theirs once.
  for (const { i, token, conversationId } of shoppers) {
    const { client, welcome } = await shopperOn(i % 2 ? second : third, token);
    expect(welcome).toMatchObject({ resumed: true, conversationId });
    const expected = [...acked].filter(([, ack]) => ack.conversationId === conversationId);
    const replayed: Frame[] = [];
    const expectedShopper = expected.filter(([id]) => id.startsWith('s')).length;
    const expectedAgent = expected.filter(([id]) => id.startsWith('a')).length;
    while (replayed.filter((frame) => frame.from === 'shopper').length < expectedShopper || replayed.filter((frame) => frame.from === 'agent').length < expectedAgent) {
      const frame = await within(5000, client.next('message'));
      if (!frame) break;
      replayed.push(frame);
    }
    for (const [id, ack] of expected) {
      const copies = replayed.filter((frame) => frame.clientMessageId === id || (id.startsWith('a') && frame.id === ack.messageId));
      expect({ id, ids: copies.map((frame) => frame.id) }).toEqual({ id, ids: [ack.messageId] });
    }
    // Stored once: no message id twice in the replay.
    expect(new Set(replayed.map((frame) => frame.id)).size).toBe(replayed.length);
    await client.close();
  }

  expect((await within(20_000, anaGone)) ?? Infinity).toBeLessThan(killedAt + 20_000);

  // The assignments hold (within the 60 s grace period): each agent, back on a surviving node, finds exactly their chats; nobody waits.
  for (const [agentIndex, name] of AGENTS.entries()) {
    const { welcome } = await agentOn(agentIndex % 2 ? second : third, name);
    const chats = (welcome.chats as Array<{ conversationId: string }>).map((chat) => chat.conversationId).sort();
    expect(chats).toEqual([...holderOf].filter(([, holder]) => holder === agentIndex).map(([id]) => id).sort());
    expect(welcome.queue).toEqual([]);
  }
});
