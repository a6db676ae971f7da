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

test('retryAfterMs: 1 s before any rate is known, then the backlog at the measured rate, at most 30 s', async () => {
  const queue = createTurnQueue({ ...options, maxPending: 100_000 });
  expect(queue.retryAfterMs()).toBe(1000);
  // 80 turns of 50 ms, 8 at a time: about 500 ms busy (the rate is measured over 250 ms), about 0.16 a millisecond.
  for (let i = 0; i < 80; i++) queue.push(() => new Promise((resolve) => setTimeout(resolve, 50)));
  await queue.idle();
  for (let i = 0; i < 1000; i++) queue.push(async () => {});
  const wait = queue.retryAfterMs();
  expect(wait).toBeGreaterThan(1000);
  expect(wait).toBeLessThan(30_000);
  for (let i = 0; i < 20_000; i++) queue.push(async () => {});
  expect(queue.retryAfterMs()).toBe(30_000);
  await queue.idle();
});

test('a turn pushed with `ready` waits for it, counts as pending meanwhile, and the turns behind it keep their order', async () => {
  const queue = createTurnQueue({ ...options, maxPending: 3 });
  const ran: string[] = [];
  let understood!: () => void;
  queue.push(async () => void ran.push('first'), new Promise<void>((resolve) => (understood = resolve)));
  queue.push(async () => void ran.push('second'));
  queue.push(async () => void ran.push('third'), Promise.resolve());
  expect(queue.full()).toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(ran).toEqual([]);
  understood();
  await queue.idle();
  expect(ran).toEqual(['first', 'second', 'third']);
  expect(queue.pending()).toBe(0);
});

test('a turn whose `ready` rejects still runs (the turn meets the failure and apologizes)', async () => {
  const queue = createTurnQueue(options);
  const ran: string[] = [];
  queue.push(async () => void ran.push('ran'), Promise.reject(new Error('not understood (test)')));
  await queue.idle();
  expect(ran).toEqual(['ran']);
});
