import type { EngineHost } from '../../src/engine';
import { projectEngineHost, startTestServer, type TestServer } from '../helpers/app';
import { ShopperClient, type Frame } from '../helpers/shopper-client';
import { dbOf } from '../helpers/db';

/**
 * Load shedding: over limits.maxPendingTurns a message is refused with `busy` and a `retryAfterMs`,
 * nothing stored; the socket's messages inside that wait are dropped unanswered; a client that re-sends
 * every unacknowledged clientMessageId at once after the wait gets exactly one answer for each. Frames
 * sent in one TCP write are read in one event-loop turn, before the queue runs: with a bound of 1, the
 * first is taken, the second shed and the third dropped, every time.
 */

let engineHost: EngineHost;
let server: TestServer;

const QUESTIONS = ['¿cuánto cuesta el envío?', '¿cuánto tarda el envío?', '¿puedo devolver un producto?'];

beforeAll(async () => {
  engineHost = projectEngineHost();
  server = await startTestServer({ deps: { engineHost }, config: { limits: { maxPendingTurns: 1 } } });
});
afterAll(async () => {
  await server.stop();
  engineHost.close();
});

/** Sends the frames in one write, so the server reads them in the same event-loop turn. */
function sendTogether(client: ShopperClient, frames: object[]): void {
  const socket = (client.ws as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
  socket.cork();
  for (const frame of frames) client.send(frame);
  socket.uncork();
}

/** Resolves when `done` holds for the frames received so far (bounded by jest's timeout). */
function until(client: ShopperClient, done: (frames: Frame[]) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!done(client.frames)) return;
      client.ws.off('message', check);
      resolve();
    };
    client.ws.on('message', check);
    check();
  });
}

const acked = (frames: Frame[], id: string) => frames.some((f) => f.type === 'ack' && f.clientMessageId === id);
const shedOf = (frames: Frame[], id: string) => frames.filter((f) => f.type === 'error' && f.code === 'busy' && f.clientMessageId === id).length;

function storedMessages(conversationId: string, from = server): Array<{ id: number; sender: string; client_message_id: string | null; reply_to: number | null }> {
  return dbOf(from.app.store)
    .prepare('SELECT id, sender, client_message_id, reply_to FROM messages WHERE conversation_id = ? ORDER BY id')
    .all(conversationId) as Array<{ id: number; sender: string; client_message_id: string | null; reply_to: number | null }>;
}

const busyFrames = (frames: Frame[]) => frames.filter((f) => f.type === 'error' && f.code === 'busy');
const answerCount = (frames: Frame[]) => frames.filter((f) => f.type === 'message' && f.from === 'bot').length;

test('a shed message carries retryAfterMs, is not stored, and a client that honours the wait is answered exactly once', async () => {
  const client = await ShopperClient.connect(server.socketUrl);
  const welcome = await client.hello({ lang: 'es' });
  const conversationId = String(welcome.conversationId);
  const ids = QUESTIONS.map((_, i) => `q-${i}`);
  sendTogether(client, QUESTIONS.map((text, i) => ({ type: 'message', clientMessageId: ids[i], text })));

  await until(client, (frames) => acked(frames, 'q-0') && shedOf(frames, 'q-1') === 1);
  const busy = busyFrames(client.frames)[0]!;
  expect(busy.clientMessageId).toBe('q-1');
  expect(busy.retryAfterMs).toEqual(expect.any(Number));
  expect(busy.retryAfterMs).toBeGreaterThanOrEqual(1000);
  expect(busy.retryAfterMs).toBeLessThanOrEqual(30_000);
  // Hammering inside the wait: q-2 (same write) and a re-sent q-1 are dropped, not answered, not stored.
  client.send({ type: 'message', clientMessageId: 'q-1', text: QUESTIONS[1] });
  await until(client, (frames) => answerCount(frames) >= 1);
  await client.unread();
  expect(busyFrames(client.frames)).toHaveLength(1);
  expect(client.frames.filter((f) => f.clientMessageId === 'q-2')).toEqual([]);
  expect(acked(client.frames, 'q-1') || acked(client.frames, 'q-2')).toBe(false);
  expect(storedMessages(conversationId).filter((m) => m.client_message_id === 'q-1' || m.client_message_id === 'q-2')).toEqual([]);

  // The protocol's floor: after each `busy`, wait retryAfterMs, then re-send every unacknowledged id at
  // once (the widget sends them one at a time; a client that does not must still be served right).
  for (let round = 0; !ids.every((id) => acked(client.frames, id)); round++) {
    expect(round).toBeLessThan(5);
    const last = busyFrames(client.frames).at(-1)!;
    await new Promise((resolve) => setTimeout(resolve, Number(last.retryAfterMs) + 20));
    const busySoFar = busyFrames(client.frames).length;
    const unacked = ids.filter((id) => !acked(client.frames, id));
    sendTogether(client, unacked.map((id) => ({ type: 'message', clientMessageId: id, text: QUESTIONS[ids.indexOf(id)] })));
    await until(client, (frames) => ids.every((id) => acked(frames, id)) || busyFrames(frames).length > busySoFar);
  }
  await until(client, (frames) => answerCount(frames) >= 3);
  // A moment for anything doubled to show up, then: one stored question and one answer for each.
  await client.unread();
  const stored = storedMessages(conversationId);
  const questions = stored.filter((m) => m.sender === 'shopper');
  expect(questions.map((m) => m.client_message_id)).toEqual(ids);
  for (const question of questions) expect(stored.filter((m) => m.sender === 'bot' && m.reply_to === question.id)).toHaveLength(1);
  const answers = client.frames.filter((f) => f.type === 'message' && f.from === 'bot');
  expect(answers.map((f) => f.entryId)).toEqual(['shipping-cost', 'shipping-time', expect.any(String)]);
  await client.close();
}, 30_000);

test('under a burst from many shoppers, every acknowledged message is answered and no shed one is stored', async () => {
  const busyServer = await startTestServer({ deps: { engineHost }, config: { limits: { maxPendingTurns: 4 } } });
  const clients = await Promise.all(Array.from({ length: 10 }, () => ShopperClient.connect(busyServer.socketUrl)));
  const conversations = await Promise.all(clients.map(async (client) => String((await client.hello({ lang: 'es' })).conversationId)));
  clients.forEach((client, c) => sendTogether(client, QUESTIONS.map((text, i) => ({ type: 'message', clientMessageId: `b-${c}-${i}`, text }))));
  // Each socket's first shed message opens its wait; the ones after it in the same write are dropped.
  const decided = (frames: Frame[], c: number) => QUESTIONS.every((_, i) => acked(frames, `b-${c}-${i}`)) || busyFrames(frames).length > 0;
  await Promise.all(clients.map((client, c) => until(client, (frames) => decided(frames, c))));
  await Promise.all(clients.map((client) => client.unread()));
  expect(clients.every((client) => busyFrames(client.frames).length <= 1)).toBe(true);
  const ackCounts = clients.map((client) => client.frames.filter((f) => f.type === 'ack').length);
  const total = ackCounts.reduce((a, b) => a + b);
  expect(total).toBeGreaterThanOrEqual(4);
  expect(total).toBeLessThan(30); // the rest were shed
  await Promise.all(
    clients.map((client, c) => until(client, (frames) => frames.filter((f) => f.type === 'message' && f.from === 'bot').length >= ackCounts[c]!)),
  );
  for (const [c, client] of clients.entries()) {
    const stored = storedMessages(conversations[c]!, busyServer);
    const questions = stored.filter((m) => m.sender === 'shopper');
    const ackedIds = client.frames.filter((f) => f.type === 'ack').map((f) => f.clientMessageId);
    expect(questions.map((m) => m.client_message_id)).toEqual(ackedIds);
    for (const question of questions) expect(stored.filter((m) => m.reply_to === question.id)).toHaveLength(1);
  }
  await Promise.all(clients.map((client) => client.close()));
  await busyServer.stop();
});
