import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { hashPassword } from '../../src/auth';
import { openStore } from '../../src/store';
import { ALWAYS_OPEN, tempDataDir } from '../helpers/app';
import { ensureBundle } from '../cli/run-cli';
import { ShopperClient, type Frame } from '../helpers/shopper-client';
import { freePort } from '../helpers/ports';

/**
 * The real server as its own process, killed under load: every acknowledged message survives, reaches
 * its reader after reconnect exactly once, and the queue and assignments are intact. Bounded in time.
 */

jest.setTimeout(60_000);

const ROOT = path.join(__dirname, '..', '..');
const PASSWORD = 'durability test password';
const AGENTS = ['ana', 'beto', 'carla'].map((name) => `${name}@tienda.example`);

interface Running {
  child: ChildProcess;
  httpUrl: string;
  socketUrl: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function prepare(): Promise<string> {
  const dataDir = tempDataDir();
  const store = openStore(path.join(dataDir, 'atento.db'));
  for (const email of AGENTS) await store.agents.create({ email, name: email.split('@')[0]!, role: 'agent', passwordHash: hashPassword(PASSWORD) });
  await store.close();
  fs.writeFileSync(
    path.join(dataDir, 'config.json'),
    JSON.stringify({ watchKnowledge: false, limits: { messagesPerMinute: 10_000, framesPerMinute: 10_000, socketsPerAddress: 1_000, newConversationsPerMinute: 1_000 }, handoff: { businessHours: ALWAYS_OPEN, agentCapacity: 10, reconnectGraceSeconds: 60 } }),
  );
  return dataDir;
}

async function start(dataDir: string): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, [ensureBundle(), 'serve'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), ATENTO_DATA_DIR: dataDir, ATENTO_CONFIG: path.join(dataDir, 'config.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += String(chunk);
      if (output.includes('listening on')) resolve();
    });
    void exited.then(() => reject(new Error(`the server exited before listening:\n${output}`)));
  });
  return { child, exited, httpUrl: `http://127.0.0.1:${port}`, socketUrl: `ws://127.0.0.1:${port}/ws/shopper` };
}

async function agentSocket(server: Running, email: string): Promise<{ client: ShopperClient; welcome: Frame }> {
  const response = await fetch(`${server.httpUrl}/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
  const client = await ShopperClient.connect(server.socketUrl.replace('/ws/shopper', '/agent/socket'), { headers: { cookie, origin: server.httpUrl } });
  return { client, welcome: await client.next('welcome') };
}

const open: ShopperClient[] = [];
const processes: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((client) => client.close()));
  for (const child of processes.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

test('kill -9 under load from 50 shoppers and 3 agents: nothing acknowledged is lost or doubled, assignments survive', async () => {
  const dataDir = await prepare();
  const first = await start(dataDir);
  processes.push(first.child);
  const agents = await Promise.all(AGENTS.map((email) => agentSocket(first, email)));
  agents.forEach(({ client }) => open.push(client));

  const shoppers = await Promise.all(
    Array.from({ length: 50 }, async (_, i) => {
      const client = await ShopperClient.connect(first.socketUrl);
      open.push(client);
      const welcome = await client.hello({ lang: 'es' });
      return { i, client, token: String(welcome.token), conversationId: String(welcome.conversationId) };
    }),
  );
  // Five shoppers ask for a person; routing hands them to the agents.
  const escalated = shoppers.slice(0, 5);
  escalated.forEach(({ client }) => client.send({ type: 'handoff_request' }));
  const assigned = new Map<string, string>();
  await Promise.all(
    agents.map(async ({ client }, index) => {
      while ([...assigned.keys()].length < escalated.length) {
        const frame = await Promise.race([client.next('assigned'), new Promise<null>((resolve) => setTimeout(() => resolve(null), 2000))]);
        if (!frame) return;
        assigned.set(String(frame.conversationId), AGENTS[index]!);
      }
    }),
  );
  expect(assigned.size).toBe(5);

  // Everyone keeps writing; each next message goes when the previous one is acknowledged.
  const acked = new Map<string, number>();
  let killed = false;
  const questions = ['¿cuánto cuesta el envío?', 'cuanto tarda en llegar', 'puedo pagar en cuotas', 'tienen tienda fisica'];
  const loops = shoppers.map(async ({ i, client }) => {
    for (let n = 0; !killed; n++) {
      const id = `s${i}-${n}`;
      client.send({ type: 'message', clientMessageId: id, text: questions[n % questions.length] });
      const ack = await Promise.race([client.next('ack'), new Promise<null>((resolve) => setTimeout(() => resolve(null), 1500))]);
      if (!ack) return;
      acked.set(id, Number(ack.messageId));
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  first.child.kill('SIGKILL');
  killed = true;
  await first.exited;
  await Promise.all(loops);
  expect(acked.size).toBeGreaterThan(100);

  const second = await start(dataDir);
  processes.push(second.child);
  for (const { i, token } of shoppers) {
    const client = await ShopperClient.connect(second.socketUrl);
    open.push(client);
    const welcome = await client.hello({ token, lang: 'es' });
    expect(welcome.resumed).toBe(true);
    const ownIds = [...acked.keys()].filter((id) => id.startsWith(`s${i}-`));
    const replayed: Frame[] = [];
    // The history follows the welcome at once; a status frame ends it for escalated shoppers.
    while (replayed.filter((frame) => frame.from === 'shopper').length < ownIds.length) {
      const frame = await client.next('message');
      replayed.push(frame);
    }
    for (const id of ownIds) {
      const copies = replayed.filter((frame) => frame.clientMessageId === id);
      expect(copies.map((frame) => frame.id)).toEqual([acked.get(id)]);
    }
  }
  // Each agent finds the chats they held, still theirs.
  for (const [index, email] of AGENTS.entries()) {
    const { client, welcome } = await agentSocket(second, email);
    open.push(client);
    const mine = (welcome.chats as Array<{ conversationId: string }>).map((chat) => chat.conversationId).sort();
    expect(mine).toEqual([...assigned].filter(([, holder]) => holder === AGENTS[index]).map(([id]) => id).sort());
  }
});

test('SIGTERM: turns in progress finish, every tab is told to reconnect, the process exits 0 within 5 s', async () => {
  const dataDir = await prepare();
  const server = await start(dataDir);
  processes.push(server.child);
  const client = await ShopperClient.connect(server.socketUrl);
  const welcome = await client.hello({ lang: 'es' });
  client.send({ type: 'message', clientMessageId: 'last-words', text: '¿cuánto cuesta el envío?' });
  const ack = await client.next('ack');
  const started = Date.now();
  server.child.kill('SIGTERM');
  const closed = new Promise<number>((resolve) => client.ws.once('close', (code) => resolve(code)));
  expect(await closed).toBe(1012);
  expect(await server.exited).toEqual({ code: 0, signal: null });
  expect(Date.now() - started).toBeLessThan(5000);

  const again = await start(dataDir);
  processes.push(again.child);
  const back = await ShopperClient.connect(again.socketUrl);
  open.push(back);
  await back.hello({ token: String(welcome.token) });
  const mine = await back.nextMessageFrom('shopper');
  expect(mine).toMatchObject({ id: ack.messageId, clientMessageId: 'last-words' });
  const answer = await back.nextMessageFrom('bot');
  expect(answer.entryId).toBe('shipping-cost');
});
