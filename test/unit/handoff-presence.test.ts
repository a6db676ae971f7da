import { Presence } from '../../src/handoff/presence';
import { ShopperPresence } from '../../src/handoff/shopper-presence';
import type { Timers } from '../../src/handoff';

/** Timers the test fires by hand: grace periods are checked without waiting for real time. */
function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 1;
  const timers: Timers = {
    setTimeout: (callback) => {
      pending.set(next, callback);
      return next++;
    },
    clearTimeout: (handle) => pending.delete(handle as number),
  };
  return { timers, pending, fireAll: () => [...pending.entries()].forEach(([id, callback]) => (pending.delete(id), callback())) };
}

const at = new Date('2026-01-01T10:00:00Z');

test('an agent with two tabs stays online until the last one closes', () => {
  const { timers, pending } = manualTimers();
  const presence = new Presence(timers, 60_000);
  expect(presence.connect('ana', at)).toBe(true);
  expect(presence.connect('ana', at)).toBe(false);
  expect(presence.disconnect('ana', () => {})).toBe(false);
  expect(presence.isOnline('ana')).toBe(true);
  expect(presence.disconnect('ana', () => {})).toBe(true);
  expect(presence.isOnline('ana')).toBe(false);
  expect(pending.size).toBe(1);
});

test('coming back within the grace period cancels the requeue', () => {
  const { timers, pending } = manualTimers();
  const presence = new Presence(timers, 60_000);
  const requeued: string[] = [];
  presence.connect('ana', at);
  presence.disconnect('ana', () => requeued.push('ana'));
  presence.connect('ana', at);
  expect(pending.size).toBe(0);
  expect(requeued).toEqual([]);
});

test('when the grace period runs out the callback runs once', () => {
  const { timers, fireAll } = manualTimers();
  const presence = new Presence(timers, 60_000);
  const requeued: string[] = [];
  presence.connect('ana', at);
  presence.disconnect('ana', () => requeued.push('ana'));
  fireAll();
  fireAll();
  expect(requeued).toEqual(['ana']);
  expect(presence.online()).toEqual([]);
});

test('after a restart, agents holding chats get a grace period though they never connected', () => {
  const { timers, fireAll } = manualTimers();
  const presence = new Presence(timers, 60_000);
  const requeued: string[] = [];
  presence.startGrace('beto', () => requeued.push('beto'));
  expect(presence.isOnline('beto')).toBe(false);
  fireAll();
  expect(requeued).toEqual(['beto']);
});

test("a shopper's tab on another node counts as online here, until that node says they left", () => {
  const shoppers = new ShopperPresence();
  expect(shoppers.of('c1')).toEqual({ online: false, leftAt: null });
  shoppers.heard('c1', { online: true, leftAt: null }, 'node-b');
  expect(shoppers.of('c1')).toEqual({ online: true, leftAt: null });
  shoppers.heard('c1', { online: false, leftAt: '2026-01-01T10:05:00.000Z' }, 'node-b');
  expect(shoppers.of('c1')).toEqual({ online: false, leftAt: '2026-01-01T10:05:00.000Z' });
  // A tab open on this node wins over another node's "left".
  shoppers.connect('c2');
  shoppers.heard('c2', { online: false, leftAt: '2026-01-01T10:06:00.000Z' }, 'node-b');
  expect(shoppers.of('c2')).toEqual({ online: true, leftAt: null });
});

test('tabs on two nodes: each node says only its own tabs, so when both close the shopper is gone everywhere', () => {
  const [a, b] = [new ShopperPresence(), new ShopperPresence()];
  a.connect('c1');
  b.heard('c1', a.here('c1'), 'node-a');
  b.connect('c1');
  a.heard('c1', b.here('c1'), 'node-b');
  a.disconnect('c1', new Date('2026-01-01T10:00:00.000Z'));
  b.heard('c1', a.here('c1'), 'node-a');
  expect([a.of('c1').online, b.of('c1').online]).toEqual([true, true]);
  b.disconnect('c1', new Date('2026-01-01T10:01:00.000Z'));
  a.heard('c1', b.here('c1'), 'node-b');
  expect([a.of('c1'), b.of('c1')]).toEqual([
    { online: false, leftAt: '2026-01-01T10:01:00.000Z' },
    { online: false, leftAt: '2026-01-01T10:01:00.000Z' },
  ]);
});
