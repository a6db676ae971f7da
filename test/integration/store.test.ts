import fs from 'node:fs';
import path from 'node:path';
import { openStore, MIGRATIONS, type SqliteStore } from '../../src/store';
import { tempDataDir } from '../helpers/app';

let store: SqliteStore;
let file: string;

beforeEach(() => {
  file = path.join(tempDataDir(), 'atento.db');
  store = openStore(file);
});
afterEach(() => store.close());

async function exchange(conversationId: string, question: string, normalized: string, action: 'answer' | 'clarify' | 'fallback', confidence: number) {
  const asked = await store.messages.insert({ conversationId, sender: 'shopper', text: question, normalized, lang: 'es' });
  await store.messages.insert({ conversationId, sender: 'bot', text: '…', action, confidence, replyTo: asked.id, lang: 'es' });
}

test('a new database file is created in WAL mode with every migration applied', async () => {
  expect(fs.existsSync(file)).toBe(true);
  expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
  expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
});

test('reopening an up-to-date database keeps its data', async () => {
  const conversation = await store.conversations.create('es');
  await store.close();
  store = openStore(file);
  expect(await store.conversations.get(conversation.id)).toMatchObject({ id: conversation.id, status: 'bot', lang: 'es' });
});

test('dialog state: what is kept survives a restart; a key with nothing kept reads as nothing', async () => {
  await store.dialogState.write({ 'handoff:c1': { lowConfidenceStreak: 1 }, 'handoff:c2': { lowConfidenceStreak: 2 } });
  await store.dialogState.delete(['handoff:c2', 'handoff:never-written']);
  await store.close();
  store = openStore(file);
  expect(await store.dialogState.read('handoff:c1')).toEqual({ lowConfidenceStreak: 1 });
  expect(await store.dialogState.read('handoff:c2')).toBeUndefined();
  expect(await store.dialogState.read('handoff:never-written')).toBeUndefined();
  await store.dialogState.delete(['handoff:c1']);
  expect(store.db.prepare('SELECT count(*) AS n FROM dialog_state').get()).toEqual({ n: 0 });
});

test('a client message id is unique within a conversation only', async () => {
  const a = await store.conversations.create('es');
  const b = await store.conversations.create('es');
  await store.messages.insert({ conversationId: a.id, sender: 'shopper', text: 'hola', clientMessageId: 'same' });
  await store.messages.insert({ conversationId: b.id, sender: 'shopper', text: 'hola', clientMessageId: 'same' });
  await expect(store.messages.insert({ conversationId: a.id, sender: 'shopper', text: 'hola', clientMessageId: 'same' })).rejects.toHaveProperty('message', expect.stringMatching(/UNIQUE/));
});

test('unanswered questions: fallbacks, clarifications and weak answers, grouped and counted', async () => {
  const c = (await store.conversations.create('es')).id;
  await exchange(c, '¿Venden tarjetas de regalo?', 'venden tarjetas de regalo', 'fallback', 0.1);
  await exchange(c, 'venden tarjetas de regalo', 'venden tarjetas de regalo', 'fallback', 0.12);
  await exchange(c, 'tarjeta', 'tarjeta', 'clarify', 0.4);
  await exchange(c, 'cuanto cuesta el envio', 'cuanto cuesta el envio', 'answer', 0.9);
  await exchange(c, 'plazos', 'plazos', 'answer', 0.3);

  const rows = await store.unanswered();
  expect(rows.map((r) => [r.normalized, r.count, r.lastAction])).toEqual([
    ['venden tarjetas de regalo', 2, 'fallback'],
    ['plazos', 1, 'answer'],
    ['tarjeta', 1, 'clarify'],
  ]);
  expect(rows[0]!.example).toBe('venden tarjetas de regalo');
  expect(await store.unanswered({ limit: 1 })).toHaveLength(1);
  expect(await store.unanswered({ since: '2999-01-01' })).toEqual([]);
});

describe('handoff operations apply the state machine\'s change only if nothing moved meanwhile', () => {
  const waiting = { from: 'bot', to: 'waiting' } as const;
  const assign = { from: 'waiting', to: 'agent' } as const;
  const agentWith = async (email: string) => (await store.agents.create({ email, name: email, role: 'agent', passwordHash: 'unused' })).id;

  test('two agents claiming at once: one gets it, the other hears already_taken; the conversation is the winner\'s', async () => {
    const [ana, beto] = [await agentWith('ana@x.example'), await agentWith('beto@x.example')];
    const { id } = await store.conversations.create('es');
    expect(await store.handoffs.request(id, { reason: 'button', lang: 'es' }, waiting)).toMatchObject({ conversationId: id, agentId: null });
    const outcomes = await Promise.all([store.handoffs.claim(id, ana, assign), store.handoffs.claim(id, beto, assign)]);
    expect(outcomes).toEqual(['ok', 'already_taken']);
    expect(await store.handoffs.current(id)).toMatchObject({ agentId: ana });
    expect((await store.conversations.get(id))!.status).toBe('agent');
  });

  test('a stale change writes nothing: no second handoff, no claim of a chat that left the queue, no release by someone else', async () => {
    const ana = await agentWith('ana@x.example');
    const { id } = await store.conversations.create('es');
    await store.handoffs.request(id, { reason: 'button', lang: 'es' }, waiting);
    // Asked again from a second tab that still saw "bot": refused, and the queue keeps one entry.
    expect(await store.handoffs.request(id, { reason: 'button', lang: 'es' }, waiting)).toBeNull();
    expect(await store.handoffs.queue()).toHaveLength(1);
    // The shopper left the queue for the form; a claim decided on the old status takes nothing.
    expect(await store.handoffs.release(id, { outcome: 'ticket', heldBy: null }, { from: 'waiting', to: 'bot' })).toBe(true);
    expect(await store.handoffs.claim(id, ana, assign)).toBe('not_waiting');
    expect(await store.handoffs.current(id)).toBeUndefined();
    expect((await store.conversations.get(id))!.status).toBe('bot');
    // A status that does not match rolls back the handoff row written with it.
    expect(await store.handoffs.request(id, { reason: 'button', lang: 'es' }, { from: 'agent', to: 'waiting' })).toBeNull();
    expect(await store.handoffs.current(id)).toBeUndefined();
  });

  test('only the holder releases or requeues a chat', async () => {
    const [ana, beto] = [await agentWith('ana@x.example'), await agentWith('beto@x.example')];
    const { id } = await store.conversations.create('es');
    await store.handoffs.request(id, { reason: 'button', lang: 'es' }, waiting);
    await store.handoffs.claim(id, ana, assign);
    expect(await store.handoffs.release(id, { outcome: 'resolved', heldBy: beto }, { from: 'agent', to: 'resolved' })).toBe(false);
    expect(await store.handoffs.requeue(id, beto, { from: 'agent', to: 'waiting' })).toBe(false);
    expect(await store.handoffs.requeue(id, ana, { from: 'agent', to: 'waiting' })).toBe(true);
    expect(await store.handoffs.queue()).toEqual([expect.objectContaining({ conversationId: id, agentId: null })]);
  });

  test('a left message stores the ticket and the shopper\'s name and e-mail together; an answer marks it and stores the replies', async () => {
    const ana = await agentWith('ana@x.example');
    const { id } = await store.conversations.create('es');
    const ticket = await store.tickets.leave({ conversationId: id, name: 'Rosa', email: 'rosa@example.com', message: 'No llegó', lang: 'es', reason: 'button' });
    expect(await store.conversations.get(id)).toMatchObject({ shopperName: 'Rosa', shopperEmail: 'rosa@example.com' });
    const stored = await store.tickets.recordAnswer(ticket.id, ana, [
      { conversationId: id, sender: 'agent', text: 'Ya va en camino', via: 'email', authorName: 'Ana' },
      { conversationId: id, sender: 'bot', text: '¿Cómo te atendimos?' },
    ]);
    expect(stored.map((message) => [message.sender, message.text])).toEqual([['agent', 'Ya va en camino'], ['bot', '¿Cómo te atendimos?']]);
    expect(await store.tickets.get(ticket.id)).toMatchObject({ status: 'answered' });
  });
});

test('group commit: the writes of one event-loop turn, awaits included, share one commit; afterCommit runs once they are on disk', async () => {
  const reader = openStore(file);
  const visible = () => (reader.db.prepare('SELECT count(*) AS n FROM conversations').get() as { n: number }).n;
  store.groupWrites();
  const { id } = await store.conversations.create('es');
  await store.messages.insert({ conversationId: id, sender: 'shopper', text: 'hola' });
  const order: string[] = [];
  store.afterCommit(() => order.push(`ack: ${visible()} visible`));
  order.push(`before commit: ${visible()} visible`);
  await new Promise<void>((resolve) => store.afterCommit(resolve));
  expect(order).toEqual(['before commit: 0 visible', 'ack: 1 visible']);
  await reader.close();
});
