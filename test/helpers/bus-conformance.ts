import { z } from 'zod';
import type { Bus, BusOptions } from '../../src/bus';
import { eventually, sleep } from './wait';

/** A backend as the suite sees it: nodes that share it, like Atento processes sharing one Redis. */
export interface BusBackend {
  node(options?: BusOptions): Promise<Bus>;
}

const DAY_MS = 24 * 3600_000;

/** Short enough to wait out in a test; the default is 15 s. */
export const TEST_PRESENCE_TTL_MS = 400;

const chatEvent = z.object({ conversationId: z.string(), text: z.string(), seq: z.number().int() });
type ChatEvent = z.infer<typeof chatEvent>;

/**
 * The behaviour every bus must have, run against each implementation with two nodes ("a" and "b")
 * sharing one backend: what one publishes or counts, the other sees.
 */
export function describeBusConformance(name: string, backend: () => BusBackend): void {
  describe(`${name} bus`, () => {
    const nodes: Bus[] = [];
    const node = async (options: BusOptions = {}) => {
      const bus = await backend().node({ presenceTtlMs: TEST_PRESENCE_TTL_MS, ...options });
      nodes.push(bus);
      return bus;
    };
    afterEach(async () => {
      await Promise.all(nodes.splice(0).map((bus) => bus.close()));
    });

    describe('fan-out', () => {
      test('an event published on one node reaches the subscribers of every node once, in order', async () => {
        const [a, b] = [await node(), await node()];
        const seenOnA: ChatEvent[] = [];
        const seenOnB: ChatEvent[] = [];
        a.subscribe('conversation', chatEvent, (event) => seenOnA.push(event));
        b.subscribe('conversation', chatEvent, (event) => seenOnB.push(event));
        await Promise.all([a.ready(), b.ready()]);

        for (let seq = 0; seq < 20; seq++) a.publish('conversation', { conversationId: 'c1', text: `hola ${seq}`, seq });
        // The publishing node's own sockets get it at once, as with one node.
        expect(seenOnA.map((event) => event.seq)).toEqual(range(20));
        await eventually(() => expect(seenOnB.map((event) => event.seq)).toEqual(range(20)));
        expect(seenOnB[0]).toEqual({ conversationId: 'c1', text: 'hola 0', seq: 0 });

        b.publish('conversation', { conversationId: 'c2', text: 'from b', seq: 99 });
        await eventually(() => expect(seenOnA.at(-1)).toEqual({ conversationId: 'c2', text: 'from b', seq: 99 }));
        await sleep(50);
        expect(seenOnA).toHaveLength(21); // no echo of a's own events
        expect(seenOnB).toHaveLength(21);
      });

      test('topics are separate, and an unsubscribed handler hears nothing more', async () => {
        const [a, b] = [await node(), await node()];
        const agentsTopic: ChatEvent[] = [];
        const conversationTopic: ChatEvent[] = [];
        b.subscribe('agents', chatEvent, (event) => agentsTopic.push(event));
        const off = b.subscribe('conversation', chatEvent, (event) => conversationTopic.push(event));
        await b.ready();

        a.publish('agents', { conversationId: 'c1', text: 'queue', seq: 1 });
        await eventually(() => expect(agentsTopic).toHaveLength(1));
        off();
        a.publish('conversation', { conversationId: 'c1', text: 'late', seq: 2 });
        a.publish('agents', { conversationId: 'c1', text: 'queue', seq: 3 });
        await eventually(() => expect(agentsTopic).toHaveLength(2));
        expect(conversationTopic).toEqual([]);
      });

      test('a handler that throws is reported and does not keep the others from the event', async () => {
        const errors: Error[] = [];
        const [a, b] = [await node(), await node({ onError: (error) => errors.push(error) })];
        const seen: number[] = [];
        b.subscribe('conversation', chatEvent, () => {
          throw new Error('listener broke');
        });
        b.subscribe('conversation', chatEvent, (event) => seen.push(event.seq));
        await b.ready();
        a.publish('conversation', { conversationId: 'c1', text: 'x', seq: 7 });
        await eventually(() => expect(seen).toEqual([7]));
        expect(errors.map((error) => error.message)).toEqual(['listener broke']);
      });
    });

    describe('agent presence', () => {
      test('agents on either node are online on both; each agent once, online since the earliest node says', async () => {
        const [a, b] = [await node(), await node()];
        await a.presence.announce([{ agentId: 'ana', onlineSince: '2026-01-01T09:00:00.000Z' }]);
        await b.presence.announce([
          { agentId: 'ana', onlineSince: '2026-01-01T10:00:00.000Z' },
          { agentId: 'beto', onlineSince: '2026-01-01T11:00:00.000Z' },
        ]);
        const expected = [
          { agentId: 'ana', onlineSince: '2026-01-01T09:00:00.000Z' },
          { agentId: 'beto', onlineSince: '2026-01-01T11:00:00.000Z' },
        ];
        expect(await a.presence.online()).toEqual(expected);
        expect(await b.presence.online()).toEqual(expected);

        // An announcement replaces the node's set: beto closed his last console on b.
        await b.presence.announce([{ agentId: 'ana', onlineSince: '2026-01-01T10:00:00.000Z' }]);
        expect(await a.presence.online()).toEqual([{ agentId: 'ana', onlineSince: '2026-01-01T09:00:00.000Z' }]);
        await b.presence.withdraw();
        await a.presence.withdraw();
        expect(await b.presence.online()).toEqual([]);
      });

      test("a killed node's agents disappear after the TTL; a live node keeps its agents by re-announcing", async () => {
        const [killed, live] = [await node(), await node()];
        await killed.presence.announce([{ agentId: 'ana', onlineSince: '2026-01-01T09:00:00.000Z' }]);
        const beto = [{ agentId: 'beto', onlineSince: '2026-01-01T09:30:00.000Z' }];
        await live.presence.announce(beto);
        expect((await live.presence.online()).map((agent) => agent.agentId)).toEqual(['ana', 'beto']);

        // The killed node never announces again nor withdraws; the live one keeps its heartbeat.
        const started = Date.now();
        const heartbeat = setInterval(() => void live.presence.announce(beto), TEST_PRESENCE_TTL_MS / 4);
        try {
          await eventually(async () => expect((await live.presence.online()).map((agent) => agent.agentId)).toEqual(['beto']), TEST_PRESENCE_TTL_MS * 5);
          expect(Date.now() - started).toBeGreaterThanOrEqual(TEST_PRESENCE_TTL_MS * 0.9);
          await sleep(TEST_PRESENCE_TTL_MS);
          expect(await live.presence.online()).toEqual(beto);
        } finally {
          clearInterval(heartbeat);
        }
      });
    });

    describe('counters', () => {
      test('concurrent hits from two nodes are each counted once', async () => {
        const [a, b] = [await node(), await node()];
        const key = `conv:${Math.random()}`;
        const counts = await Promise.all(range(60).map((i) => (i % 2 ? a : b).counters.hit(key, 10_000)));
        expect([...counts].sort((x, y) => x - y)).toEqual(range(60).map((i) => i + 1));
      });

      test('a window starts with its first hit and ends after windowMs', async () => {
        const [a, b] = [await node(), await node()];
        const key = `ip:${Math.random()}`;
        expect(await a.counters.hit(key, 300)).toBe(1);
        expect(await b.counters.hit(key, 300)).toBe(2);
        expect(await a.counters.hit(`other:${key}`, 300)).toBe(1);
        await sleep(350);
        expect(await b.counters.hit(key, 300)).toBe(1);
      });
    });

    describe('login failures', () => {
      test('failures recorded on one node throttle on the other; forgive, clear and expiry', async () => {
        const [a, b] = [await node(), await node()];
        const pair = `pair:ana@tienda.example|${Math.random()}`;
        const address = `ip:${Math.random()}`;
        expect(await b.loginFailures.get(pair)).toBeUndefined();
        await Promise.all([a.loginFailures.record([pair, address], 1000, 1000 - DAY_MS), b.loginFailures.record([pair, address], 2000, 2000 - DAY_MS)]);
        await a.loginFailures.record([address], 3000, 3000 - DAY_MS);
        expect(await b.loginFailures.get(address)).toEqual({ failures: 3, lastFailureMs: 3000 });
        expect((await a.loginFailures.get(pair))?.failures).toBe(2);

        await b.loginFailures.forgiveOne(address);
        expect(await a.loginFailures.get(address)).toEqual({ failures: 2, lastFailureMs: 3000 });
        await b.loginFailures.clear(pair);
        expect(await a.loginFailures.get(pair)).toBeUndefined();

        const once = `ip:${Math.random()}`;
        await a.loginFailures.record([once], 1, 1 - DAY_MS);
        await b.loginFailures.forgiveOne(once);
        expect(await a.loginFailures.get(once)).toBeUndefined(); // the last failure forgiven: the key goes
        await b.loginFailures.forgiveOne(once); // nothing left: stays gone, never negative
        expect(await a.loginFailures.get(once)).toBeUndefined();

        await a.loginFailures.record([once], 5, 5 - 200); // forgotten 200 ms after this failure
        expect(await b.loginFailures.get(once)).toEqual({ failures: 1, lastFailureMs: 5 });
        await sleep(250);
        expect(await b.loginFailures.get(once)).toBeUndefined();
      });
    });

    describe('leases (one owner per conversation turn)', () => {
      test('of two nodes taking the same lease at once, exactly one wins', async () => {
        const [a, b] = [await node(), await node()];
        for (let round = 0; round < 20; round++) {
          const key = `turn:c${round}:${Math.random()}`;
          const tokens = await Promise.all([a.leases.acquire(key, 5000), b.leases.acquire(key, 5000)]);
          expect(tokens.filter((token) => token !== null)).toHaveLength(1);
        }
      });

      test('only the holder releases; after release or expiry another node may take it', async () => {
        const [a, b] = [await node(), await node()];
        const key = `turn:${Math.random()}`;
        const token = await a.leases.acquire(key, 5000);
        expect(token).not.toBeNull();
        expect(await b.leases.acquire(key, 5000)).toBeNull();
        expect(await b.leases.release(key, 'not-the-token')).toBe(false);
        expect(await b.leases.acquire(key, 5000)).toBeNull(); // still held
        expect(await a.leases.release(key, token!)).toBe(true);
        const second = await b.leases.acquire(key, 300);
        expect(second).not.toBeNull();

        await sleep(350); // b's lease expires (its node was killed mid-turn)
        const third = await a.leases.acquire(key, 5000);
        expect(third).not.toBeNull();
        // b's late release must not free a's lease.
        expect(await b.leases.release(key, second!)).toBe(false);
        expect(await b.leases.acquire(key, 5000)).toBeNull();
      });
    });
  });
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

