import net from 'node:net';
import Redis from 'ioredis';
import { z } from 'zod';
import { BusError, connectRedisBus, type Bus, type RedisBusOptions } from '../../src/bus';
import { describeBusConformance, eventually, TEST_PRESENCE_TTL_MS } from '../helpers/bus-conformance';
import { startTestRedis, type TestRedis } from '../helpers/redis';

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
    const port = await closedPort();
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

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
