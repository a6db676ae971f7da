import { createTurnQueue } from '../../src/channels/turn-queue';

/** The bounded turn queue on its own: what it refuses, and that it runs everything it took. */

const options = { maxPending: 3, maxWaitMs: 1000, beforeSlice: () => {} };

test('refuses once maxPending turns are pending, and takes again when they are done', async () => {
  const queue = createTurnQueue(options);
  const ran: number[] = [];
  for (let i = 0; i < 3; i++) {
    expect(queue.full()).toBe(false);
    queue.push(async () => void ran.push(i));
  }
  expect(queue.full()).toBe(true);
  expect(queue.pending()).toBe(3);
  await queue.idle();
  expect(ran).toEqual([0, 1, 2]);
  expect(queue.full()).toBe(false);
});

test('refuses when the oldest queued turn has waited maxWaitMs, whatever the count', async () => {
  const queue = createTurnQueue({ ...options, maxPending: 100, maxWaitMs: 10 });
  queue.push(async () => {});
  const until = performance.now() + 20;
  while (performance.now() < until); // the event loop is busy: the turn cannot start
  expect(queue.full()).toBe(true);
  await queue.idle();
  expect(queue.full()).toBe(false);
});

test('a turn that throws does not stop the ones after it; each slice starts with beforeSlice', async () => {
  let slices = 0;
  const queue = createTurnQueue({ ...options, beforeSlice: () => slices++ });
  const ran: string[] = [];
  queue.push(async () => {
    throw new Error('turn failed (test)');
  });
  queue.push(async () => void ran.push('after'));
  await queue.idle();
  expect(ran).toEqual(['after']);
  expect(slices).toBeGreaterThanOrEqual(1);
});
