import fs from 'node:fs';
import path from 'node:path';
import { createSessionSigner } from '../../src/session';
import { startTestServer, tempDataDir, useShopperServer } from '../helpers/app';
import { ShopperClient, type Frame } from '../helpers/shopper-client';

const context = useShopperServer();
const shopper = () => context.shopper();

const messageIds = (frames: Frame[]) => frames.filter((f) => f.type === 'message').map((f) => f.id);

test('reconnecting with the token and the last seen id delivers exactly what was missed', async () => {
  const first = await shopper();
  const welcome = await first.hello({ lang: 'es' });
  const one = await first.ask('¿cuánto cuesta el envío?', 'm1');
  await first.close();

  // While the shopper is away, an agent (or anyone) adds a message.
  const conversationId = welcome.conversationId as string;
  const missed = await context.server.app.store.messages.insert({ conversationId, sender: 'agent', text: '¿Sigues ahí?' });
  context.server.app.events.emit('message.created', { message: missed });

  const second = await shopper();
  const resumed = await second.hello({ token: welcome.token as string, lastSeenId: one.reply.id as number });
  expect(resumed).toMatchObject({ conversationId, resumed: true });
  const frames = await second.unread();
  expect(messageIds(frames)).toEqual([missed.id]);

  // A fresh page (no last seen id) gets the whole conversation, the shopper's own messages included, once.
  const third = await shopper();
  await third.hello({ token: welcome.token as string });
  const history = (await third.unread()).filter((f) => f.type === 'message');
  expect(history.map((f) => [f.from, f.id])).toEqual([
    ['shopper', one.ack.messageId],
    ['bot', one.reply.id],
    ['agent', missed.id],
  ]);
});

test('a conversation survives a restart of the server on the same database', async () => {
  const dataDir = tempDataDir();
  const before = await startTestServer({ dataDir, deps: { engineHost: context.engineHost } });
  const client = await ShopperClient.connect(before.socketUrl);
  const welcome = await client.hello({ lang: 'es' });
  const { reply } = await client.ask('¿cuánto cuesta el envío?');
  await client.close();
  await before.stop();

  const after = await startTestServer({ dataDir, deps: { engineHost: context.engineHost } });
  const again = await ShopperClient.connect(after.socketUrl);
  const resumed = await again.hello({ token: welcome.token as string });
  expect(resumed).toMatchObject({ conversationId: welcome.conversationId, resumed: true });
  expect(messageIds(await again.unread())).toContain(reply.id);
  await again.close();
  await after.stop();
});

test('two tabs of one shopper: the sending tab gets its ack and the answer, never its own message back; the other tab gets both', async () => {
  const tabA = await shopper();
  const welcome = await tabA.hello({ lang: 'es' });
  const tabB = await shopper();
  const welcomeB = await tabB.hello({ token: welcome.token as string });
  let [sinceA, sinceB] = [tabA.frames.length, tabB.frames.length];

  tabA.send({ type: 'message', clientMessageId: 'a1', text: '¿cuánto cuesta el envío?' });
  const onA = await framesUntil(tabA, sinceA, isFromBot);
  const onB = await framesUntil(tabB, sinceB, isFromBot);
  expect(outline(onA)).toEqual(['ack', 'message from bot']);
  const ack = onA[0]!;
  expect(ack).toEqual({ type: 'ack', clientMessageId: 'a1', messageId: expect.any(Number) });
  expect(onA[1]).toMatchObject({ entryId: 'shipping-cost' });
  expect(outline(onB)).toEqual(['message from shopper', 'message from bot']);
  expect(onB[0]).toEqual({ type: 'message', id: ack.messageId, from: 'shopper', text: '¿cuánto cuesta el envío?', clientMessageId: 'a1', createdAt: expect.any(String) });
  expect(onB[1]).toEqual(onA[1]);

  // A retry of the stored message (its ack was lost) is acknowledged again, and nobody gets it twice.
  [sinceA, sinceB] = [tabA.frames.length, tabB.frames.length];
  tabA.send({ type: 'message', clientMessageId: 'a1', text: '¿cuánto cuesta el envío?' });
  const retried = await framesUntil(tabA, sinceA, (f) => f.type === 'ack');
  expect(retried).toEqual([{ type: 'ack', clientMessageId: 'a1', messageId: ack.messageId }]);
  expect(await framesUntil(tabB, sinceB)).toEqual([]);

  // The other way round, with a picked suggestion: tab B gets the ack, tab A the message.
  [sinceA, sinceB] = [tabA.frames.length, tabB.frames.length];
  const suggestion = (welcomeB.suggestions as Array<{ id: string; label: string }>)[0]!;
  tabB.send({ type: 'choice', clientMessageId: 'b1', id: suggestion.id });
  const choiceOnB = await framesUntil(tabB, sinceB, isFromBot);
  expect(outline(choiceOnB)).toEqual(['ack', 'message from bot']);
  const choiceOnA = await framesUntil(tabA, sinceA, isFromBot);
  expect(outline(choiceOnA)).toEqual(['message from shopper', 'message from bot']);
  expect(choiceOnA[1]).toEqual(choiceOnB[1]);
  expect(choiceOnA[0]).toMatchObject({ id: choiceOnB[0]!.messageId, text: suggestion.label, clientMessageId: 'b1' });
});

/** Every frame `client` got from index `since` on, once one is `last` (if given) and the server has answered a ping after it. */
async function framesUntil(client: ShopperClient, since: number, last?: (frame: Frame) => boolean): Promise<Frame[]> {
  if (last) while (!client.frames.slice(since).some(last)) await client.next();
  await client.unread();
  return client.frames.slice(since);
}

const isFromBot = (frame: Frame) => frame.type === 'message' && frame.from === 'bot';

const outline = (frames: Frame[]) => frames.map((f) => (f.type === 'message' ? `message from ${String(f.from)}` : f.type));

describe('a second shopper cannot read or write the first one’s conversation', () => {
  let victim: { token: string; conversationId: string; replyId: number };

  beforeEach(async () => {
    const client = await shopper();
    const welcome = await client.hello({ lang: 'es' });
    const { reply } = await client.ask('mi dirección es Calle Falsa 123');
    victim = { token: welcome.token as string, conversationId: welcome.conversationId as string, replyId: reply.id as number };
  });

  test('a token with the conversation id edited in is rejected and a new conversation starts', async () => {
    const [payload, signature] = victim.token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, c: victim.conversationId + 'x' })).toString('base64url');
    for (const token of [`${forgedPayload}.${signature}`, 'garbage', `${payload}.AAAA`]) {
      const attacker = await shopper();
      attacker.send({ type: 'hello', token });
      expect(await attacker.next('error')).toMatchObject({ code: 'session_invalid' });
      const welcome = await attacker.next('welcome');
      expect(welcome.conversationId).not.toBe(victim.conversationId);
      expect(messageIds(await attacker.unread())).toEqual([]);
    }
  });

  test('a token signed with another secret is rejected', async () => {
    const forged = createSessionSigner('a-secret-the-attacker-made-up-000000000000').issue(victim.conversationId);
    const attacker = await shopper();
    attacker.send({ type: 'hello', token: forged });
    expect(await attacker.next('error')).toMatchObject({ code: 'session_invalid' });
    expect((await attacker.next('welcome')).conversationId).not.toBe(victim.conversationId);
  });

  test('feedback on the other conversation’s message looks like a missing message', async () => {
    const attacker = await shopper();
    await attacker.hello();
    attacker.send({ type: 'feedback', messageId: victim.replyId, helpful: false });
    expect(await attacker.next('error')).toMatchObject({ code: 'unknown_message' });
    expect(await context.server.app.store.feedback.get(victim.replyId)).toBeUndefined();
  });

  test('frames naming the other conversation are refused by the protocol', async () => {
    const attacker = await shopper();
    await attacker.hello();
    attacker.send({ type: 'message', clientMessageId: 'a1', text: 'hola', conversationId: victim.conversationId });
    expect(await attacker.next('error')).toMatchObject({ code: 'bad_frame', clientMessageId: 'a1' });
    const victimMessages = await context.server.app.store.messages.listAfter(victim.conversationId);
    expect(victimMessages.map((m) => m.text)).not.toContain('hola');
  });
});

test('pages from origins that are not allowed cannot open a socket', async () => {
  await expect(ShopperClient.connect(context.server.socketUrl, { origin: 'https://evil.example' })).rejects.toThrow('403');
  const own = await ShopperClient.connect(context.server.socketUrl, { origin: context.server.httpUrl });
  expect((await own.hello()).type).toBe('welcome');
  await own.close();
});

test('a token older than 30 days no longer resumes its conversation', async () => {
  const first = await shopper();
  const welcome = await first.hello();
  const conversationId = welcome.conversationId as string;
  const expired = context.server.app.sessions.issue(conversationId, Date.now() - 31 * 24 * 60 * 60 * 1000);
  const later = await shopper();
  later.send({ type: 'hello', token: expired });
  expect(await later.next('error')).toMatchObject({ code: 'session_invalid' });
  expect((await later.next('welcome')).conversationId).not.toBe(conversationId);
});

test('the generated session secret is kept in the data folder, readable by the owner only', () => {
  const stat = fs.statSync(path.join(context.server.dataDir, 'session-secret'));
  expect(stat.mode & 0o777).toBe(0o600);
  expect(fs.readFileSync(path.join(context.server.dataDir, 'session-secret'), 'utf8').trim().length).toBeGreaterThanOrEqual(32);
});
