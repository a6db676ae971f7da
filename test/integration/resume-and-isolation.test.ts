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

test('two tabs of the same shopper both see every message, each exactly once', async () => {
  const tabA = await shopper();
  const welcome = await tabA.hello({ lang: 'es' });
  const tabB = await shopper();
  await tabB.hello({ token: welcome.token as string });
  const { ack, reply } = await tabA.ask('¿cuánto cuesta el envío?');
  const seenByB = [await tabB.next('message'), await tabB.next('message')];
  expect(seenByB.map((f) => f.id)).toEqual([ack.messageId, reply.id]);
  expect(messageIds(await tabB.unread())).toEqual([]);
});

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
