import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildSync } from 'esbuild';
import Redis from 'ioredis';
import { z } from 'zod';
import { BusError, connectRedisBus, type Bus, type RedisBusOptions } from '../../src/bus';
import { describeBusConformance, TEST_PRESENCE_TTL_MS } from '../helpers/bus-conformance';
import { eventually } from '../helpers/wait';
import { startTestRedis, type TestRedis } from '../helpers/redis';
import { freePort } from '../helpers/ports';

// A real redis-server (Debian's redis-server package; CI installs it) in a temporary folder.
let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.remove();
});

describeBusConformance('Redis', () => ({ node: (options) => connectRedisBus({ url: redis.url, ...options }) }));

describe('Redis bus: failures', () => {
  const buses: Bus[] = [];
  const connect = async (options: Partial<RedisBusOptions> = {}) => {
    const bus = await connectRedisBus({ url: redis.url, presenceTtlMs: TEST_PRESENCE_TTL_MS, ...options });
    buses.push(bus);
    return bus;
  };
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
  });

  test('start-up with Redis unreachable fails within the timeout, naming the URL (password hidden) and the reason', async () => {
    const port = await freePort();
    const started = Date.now();
    const failure = await connectRedisBus({ url: `redis://:s3cret@127.0.0.1:${port}`, connectTimeoutMs: 400 }).catch((error: unknown) => error);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(failure).toBeInstanceOf(BusError);
    expect((failure as BusError).code).toBe('ATENTO_ERR_REDIS_UNREACHABLE');
    expect((failure as BusError).message).toContain(`cannot reach Redis at redis://:***@127.0.0.1:${port} (ATENTO_REDIS_URL) within 400 ms: connect ECONNREFUSED`);
    expect((failure as BusError).message).not.toContain('s3cret');
  });

  test('a fan-out message that is not JSON or does not match its schema is reported and dropped; the next one arrives', async () => {
    const errors: Error[] = [];
    const bus = await connect({ onError: (error) => errors.push(error) });
    const seen: string[] = [];
    bus.subscribe('conversation', z.object({ conversationId: z.string() }), (event) => seen.push(event.conversationId));
    await bus.ready();
    const raw = new Redis(redis.url);
    try {
      await raw.publish('atento:fanout:conversation', 'not json');
      await raw.publish('atento:fanout:conversation', JSON.stringify({ from: 'other-node', payload: { conversationId: 42 } }));
      await raw.publish('atento:fanout:conversation', JSON.stringify({ from: 'other-node', payload: { conversationId: 'c1' } }));
    } finally {
      raw.disconnect();
    }
    await eventually(() => expect(seen).toEqual(['c1']));
    expect(errors.map((error) => (error as BusError).code)).toEqual(['ATENTO_ERR_BUS_DATA', 'ATENTO_ERR_BUS_DATA']);
    expect(errors[0]!.message).toContain('fan-out message on "conversation" dropped: not a bus envelope');
    expect(errors[1]!.message).toMatch(/fan-out message on "conversation" dropped: .*conversationId/s);
  });

  test('a Redis that hangs without refusing fails each call within about a second, so callers fall back instead of waiting', async () => {
    const a = await connect();
    redis.pause();
    try {
      const started = Date.now();
      const hung = await a.counters.hit('ip:2', 60_000).catch((error: unknown) => error);
      expect((hung as BusError).code).toBe('ATENTO_ERR_REDIS_UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      redis.resume();
    }
    await eventually(async () => expect(await a.counters.hit('ip:2', 60_000)).toBeGreaterThanOrEqual(1), 5000);
  });

  test('Redis restarting: commands fail with a clear error meanwhile, then counters, leases and fan-out work again', async () => {
    const errors: Error[] = [];
    const [a, b] = [await connect({ onError: (error) => errors.push(error) }), await connect()];
    const seen: number[] = [];
    b.subscribe('agents', z.object({ n: z.number() }), (event) => seen.push(event.n));
    await b.ready();

    await redis.stop();
    const down = await a.counters.hit('ip:1', 60_000).catch((error: unknown) => error);
    expect((down as BusError).code).toBe('ATENTO_ERR_REDIS_UNAVAILABLE');
    expect((down as BusError).message).toMatch(/^Redis at redis:\/\/127\.0\.0\.1:\d+ is unavailable \(.+\): counting "ip:1" failed$/);
    await eventually(() => expect(errors.map((error) => error.message)).toContain(`lost the commands connection to Redis at ${redis.url}; reconnecting`));
    a.publish('agents', { n: 1 }); // lost: nobody can hear it while Redis is down
    await eventually(() => expect(errors.map((error) => error.message).join('\n')).toContain('"agents" did not reach the other nodes'));

    await redis.start(); // empty again: nothing was saved
    await eventually(async () => expect(await a.counters.hit('ip:1', 60_000)).toBe(1), 5000);
    expect(await b.leases.acquire('turn:c1', 5000)).not.toBeNull();
    expect(await a.leases.acquire('turn:c1', 5000)).toBeNull();
    // b's subscription was renewed on reconnection: fan-out crosses again.
    await eventually(async () => {
      a.publish('agents', { n: 2 });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(seen).toContain(2);
    }, 5000);
    expect(seen).not.toContain(1);
  });
});

describe('Redis bus: a node killed with SIGKILL', () => {
  test("its agents and its turn's lease are gone within their TTLs, with no clean-up by anyone", async () => {
    const presenceTtlMs = 600;
    const leaseTtlMs = 900;
    const observer = await connectRedisBus({ url: redis.url, presenceTtlMs });
    const child = spawn(process.execPath, [nodeBundle(), redis.url, String(presenceTtlMs), 'turn:c9', String(leaseTtlMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const ready = await new Promise<{ lease: boolean }>((resolve, reject) => {
        child.stdout.once('data', (chunk: Buffer) => resolve(JSON.parse(chunk.toString()) as { lease: boolean }));
        child.once('exit', (code) => reject(new Error(`the node exited early (${code})`)));
      });
      expect(ready.lease).toBe(true);
      // Alive: its agent is online for every node, and its turn is its own, for longer than one TTL.
      await new Promise((resolve) => setTimeout(resolve, presenceTtlMs));
      expect((await observer.presence.online()).map((agent) => agent.agentId)).toEqual(['ana']);
      expect(await observer.leases.acquire('turn:c9', 5000)).toBeNull();

      child.kill('SIGKILL');
      await exited;
      const killedAt = Date.now();
      await eventually(async () => expect(await observer.presence.online()).toEqual([]), presenceTtlMs * 3);
      const presenceGoneMs = Date.now() - killedAt;
      await eventually(async () => expect(await observer.leases.acquire('turn:c9', 5000)).not.toBeNull(), leaseTtlMs * 3);
      // Bounded by the TTLs (the last heartbeat was at most a quarter TTL before the kill; the rest is polling slack).
      expect(presenceGoneMs).toBeLessThanOrEqual(presenceTtlMs + 500);
      expect(Date.now() - killedAt).toBeLessThanOrEqual(leaseTtlMs + 500);
    } finally {
      child.kill('SIGKILL');
      await observer.close();
    }
  });
});

/** The child node's script, bundled once with esbuild (the CLI tests do the same for bin/atento). */
function nodeBundle(): string {
  const bundle = path.join(__dirname, '..', '..', 'test-output', 'bus-node.js');
  buildSync({ entryPoints: [path.join(__dirname, '..', 'helpers', 'bus-node-entry.ts')], bundle: true, platform: 'node', target: 'node20', packages: 'external', outfile: bundle, logLevel: 'error' });
  return bundle;
}

