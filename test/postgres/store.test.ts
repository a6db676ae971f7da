import { insertMessage } from '../../src/store/postgres/messages';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres';
import { createTestDatabase } from '../helpers/postgres';

/** What only PostgreSQL has to prove: several writers at once, and a server that is not there. */
let store: PostgresStore;
beforeAll(async () => {
  store = await openPostgresStore(await createTestDatabase());
});
afterAll(() => store.close());

test('message ids follow commit order within a conversation, so a resume cursor never skips a message', async () => {
  const conversation = await store.conversations.create('es');
  const events: string[] = [];
  // Another node's transaction has stored a message (id drawn) but not committed yet.
  const slow = await store.pool.connect();
  await slow.query('BEGIN');
  const early = await insertMessage(slow, { conversationId: conversation.id, sender: 'agent', text: 'primero' }, new Date().toISOString());
  const late = store.messages.insert({ conversationId: conversation.id, sender: 'shopper', text: 'segundo' }).then((message) => {
    events.push('late stored');
    return message;
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  events.push('early committed');
  await slow.query('COMMIT');
  slow.release();
  const stored = await late;

  // The later message waited for the earlier one's commit, and its id is greater.
  expect(events).toEqual(['early committed', 'late stored']);
  expect(stored.id).toBeGreaterThan(early.id);
  expect((await store.messages.listAfter(conversation.id)).map((message) => message.text)).toEqual(['primero', 'segundo']);
});

test('a bot reply, which does not touch the conversation, is ordered the same way', async () => {
  const conversation = await store.conversations.create('es');
  const question = await store.messages.insert({ conversationId: conversation.id, sender: 'shopper', text: '¿envío?' });
  const slow = await store.pool.connect();
  await slow.query('BEGIN');
  const early = await insertMessage(slow, { conversationId: conversation.id, sender: 'agent', text: 'un momento' }, new Date().toISOString());
  const reply = store.messages.insert({ conversationId: conversation.id, sender: 'bot', text: 'De 2 a 5 días', replyTo: question.id });
  let replied = false;
  void reply.then(() => (replied = true));
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(replied).toBe(false);
  await slow.query('COMMIT');
  slow.release();
  expect((await reply).id).toBeGreaterThan(early.id);
});

test('group commit: a burst of messages shares commits, and one bad message fails alone, not its group', async () => {
  const conversations = await Promise.all(Array.from({ length: 10 }, () => store.conversations.create('es')));
  await store.messages.insert({ conversationId: conversations[3]!.id, sender: 'shopper', text: 'ya enviado', clientMessageId: 'dup' });
  const burst = conversations.flatMap((conversation, c) =>
    Array.from({ length: 20 }, (_, n) => ({ conversationId: conversation.id, sender: 'shopper' as const, text: `mensaje ${n}`, clientMessageId: c === 3 && n === 7 ? 'dup' : `m${n}` })),
  );
  const results = await Promise.allSettled(burst.map((message) => store.messages.insert(message)));
  const failed = results.flatMap((result, index) => (result.status === 'rejected' ? [burst[index]!.clientMessageId] : []));
  expect(failed).toEqual(['dup']);
  for (const conversation of conversations) {
    const texts = (await store.messages.listAfter(conversation.id)).map((message) => message.text);
    expect(texts.filter((text) => text.startsWith('mensaje'))).toHaveLength(conversation === conversations[3] ? 19 : 20);
  }
});

test('a write stuck behind a row lock that is never released fails after the lock timeout instead of hanging', async () => {
  const conversation = await store.conversations.create('es');
  // A stray session (an operator's open psql, a node cut off mid-transaction) holds the conversation's row.
  const stray = await store.pool.connect();
  await stray.query('BEGIN');
  await stray.query('SELECT id FROM conversations WHERE id = $1 FOR UPDATE', [conversation.id]);
  try {
    const stuck = await store.messages.insert({ conversationId: conversation.id, sender: 'shopper', text: '¿hola?' }).catch((error: Error) => error);
    expect(stuck).toBeInstanceOf(Error);
    expect((stuck as Error).message).toMatch(/lock timeout/);
  } finally {
    await stray.query('ROLLBACK');
    stray.release();
  }
  // Once the lock is gone, the same write goes through.
  expect((await store.messages.insert({ conversationId: conversation.id, sender: 'shopper', text: '¿hola?' })).text).toBe('¿hola?');
}, 20_000);

test('an unreachable server fails start-up with a clear error that hides the password', async () => {
  await expect(openPostgresStore('postgres://atento:s3cret@127.0.0.1:1/atento')).rejects.toThrow(
    /^PostgreSQL at postgres:\/\/atento:\*\*\*@127\.0\.0\.1:1\/atento: .*ECONNREFUSED/,
  );
});

test("one conversation's messages given at once are stored in the order given", async () => {
  const conversation = await store.conversations.create('es');
  const texts = Array.from({ length: 30 }, (_, n) => `mensaje ${n}`);
  const others = await Promise.all(Array.from({ length: 5 }, () => store.conversations.create('es')));
  await Promise.all([
    ...texts.map((text) => store.messages.insert({ conversationId: conversation.id, sender: 'shopper', text })),
    ...others.flatMap((other) => texts.map((text) => store.messages.insert({ conversationId: other.id, sender: 'agent', text }))),
  ]);
  expect((await store.messages.listAfter(conversation.id)).map((message) => message.text)).toEqual(texts);
});
