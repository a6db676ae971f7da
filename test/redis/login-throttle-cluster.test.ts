import { ADDRESS_POLICY, hashPassword, PAIR_POLICY } from '../../src/auth';
import { connectRedisBus, type Bus } from '../../src/bus';
import type { EngineHost } from '../../src/engine';
import { projectEngineHost, startTestServer, type TestServer } from '../helpers/app';
import { startTestRedis, type TestRedis } from '../helpers/redis';

/**
 * Two nodes behind a load balancer share the login limiter through one Redis: a guesser whose attempts
 * the balancer spreads over both nodes meets one limit, not one per node. Each node has its own SQLite
 * file here (the shared database is another part of issue 12), with the same agent account in both.
 */

const AGENT = 'ana@tienda.example';
const PASSWORD = 'la-clave-de-ana-es-larga';
let now = new Date('2026-03-02T15:00:00Z');
const wait = (seconds: number) => (now = new Date(now.getTime() + seconds * 1000));

let redis: TestRedis;
let engineHost: EngineHost;
const buses: Bus[] = [];
const nodes: TestServer[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  engineHost = projectEngineHost();
  for (let i = 0; i < 2; i++) {
    const sharedBus = await connectRedisBus({ url: redis.url });
    const node = await startTestServer({ deps: { engineHost, clock: () => now, sharedBus } });
    await node.app.store.agents.create({ email: AGENT, name: 'Ana', role: 'agent', passwordHash: await hashPassword(PASSWORD) });
    buses.push(sharedBus);
    nodes.push(node);
  }
});
afterAll(async () => {
  await Promise.all(nodes.map((node) => node.stop()));
  await Promise.all(buses.map((bus) => bus.close()));
  engineHost?.close();
  await redis?.remove();
});

async function login(node: TestServer, pass: string, address: string, email = AGENT): Promise<{ status: number; retryAfter: number | null }> {
  const response = await fetch(`${node.httpUrl}/agent/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ email, password: pass }),
  });
  await response.arrayBuffer();
  const retryAfter = response.headers.get('retry-after');
  return { status: response.status, retryAfter: retryAfter === null ? null : Number(retryAfter) };
}

test('guesses alternating between two nodes meet one limit: the wait doubles across both', async () => {
  const [a, b] = nodes as [TestServer, TestServer];
  const guesser = '203.0.113.66';
  for (let i = 0; i < PAIR_POLICY.freeFailures; i++) expect((await login(i % 2 ? a : b, `guess-${i}`, guesser)).status).toBe(401);
  // Alone, each node would have seen 2 or 3 failures: still free tries.
  expect(await login(a, 'guess', guesser)).toEqual({ status: 429, retryAfter: 1 });
  expect(await login(b, 'guess', guesser)).toEqual({ status: 429, retryAfter: 1 });
  wait(1);
  expect((await login(b, 'guess', guesser)).status).toBe(401);
  expect(await login(a, PASSWORD, guesser)).toEqual({ status: 429, retryAfter: 2 });
  wait(2);
  // The right password on one node clears the pair for both.
  expect((await login(a, PASSWORD, guesser)).status).toBe(200);
  expect((await login(b, 'typo', guesser)).status).toBe(401);
});

test('one address trying many e-mails is slowed down on every node; other addresses are not', async () => {
  const [a, b] = nodes as [TestServer, TestServer];
  const sprayer = '198.51.100.99';
  for (let i = 0; i < ADDRESS_POLICY.freeFailures; i++) expect((await login(i % 2 ? a : b, 'x', sprayer, `agent${i}@tienda.example`)).status).toBe(401);
  expect(await login(a, 'x', sprayer, 'otra@tienda.example')).toEqual({ status: 429, retryAfter: 1 });
  expect(await login(b, PASSWORD, sprayer)).toEqual({ status: 429, retryAfter: 1 });
  expect((await login(b, PASSWORD, '192.0.2.10')).status).toBe(200);
});

test('a node on its own keeps counting in its SQLite file, not in Redis', async () => {
  const alone = await startTestServer({ deps: { engineHost, clock: () => now } });
  try {
    await alone.app.store.agents.create({ email: AGENT, name: 'Ana', role: 'agent', passwordHash: await hashPassword(PASSWORD) });
    const address = '192.0.2.77';
    for (let i = 0; i < PAIR_POLICY.freeFailures; i++) expect((await login(alone, 'guess', address)).status).toBe(401);
    expect((await login(alone, 'guess', address)).status).toBe(429);
    // The cluster's nodes never heard of those failures.
    expect((await login(nodes[0]!, 'guess', address)).status).toBe(401);
  } finally {
    await alone.stop();
  }
});

test('with Redis down a login is refused (500), never let through unthrottled; it works again once Redis is back', async () => {
  const [a] = nodes as [TestServer];
  await redis.stop();
  try {
    expect((await login(a, PASSWORD, '192.0.2.20')).status).toBe(500);
  } finally {
    await redis.start();
  }
  const deadline = Date.now() + 5000;
  let status = 0;
  while (status !== 200 && Date.now() < deadline) {
    status = (await login(a, PASSWORD, '192.0.2.20')).status;
    if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(status).toBe(200);
});
