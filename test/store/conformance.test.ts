import type { Conversation } from '../../src/store/conversations';
import type { Store } from '../../src/store/types';
import { BACKEND, openTestStore } from '../helpers/stores';

/**
 * The store's contract (src/store/types.ts), the same cases for every backend: SQLite under `npm test`,
 * PostgreSQL under `npm run test:pg`. A fresh database per test.
 */
let clock = new Date('2026-03-02T15:00:00.000Z');
const at = (iso: string) => {
  clock = new Date(iso);
};
let store: Store;
let others: Store[] = [];
let openAnother: () => Promise<Store>;

beforeEach(async () => {
  clock = new Date('2026-03-02T15:00:00.000Z');
  ({ store, openAnother } = await openTestStore(() => clock));
});
afterEach(async () => {
  await Promise.all([store, ...others].map((each) => each.close()));
  others = [];
});

const anotherNode = async () => {
  const node = await openAnother();
  others.push(node);
  return node;
};

const WAITING = { from: 'bot', to: 'waiting' } as const;
const TAKEN = { from: 'waiting', to: 'agent' } as const;

async function waitingConversation(name?: string): Promise<Conversation> {
  const conversation = await store.conversations.create('es');
  if (name) await store.conversations.setShopper(conversation.id, { name });
  expect(await store.handoffs.request(conversation.id, { reason: 'human-request', lang: 'es' }, WAITING)).not.toBeNull();
  return conversation;
}

/**
 * Whether a write was refused. Not `rejects.toThrow()`: better-sqlite3's errors come from the realm of the
 * first test file that loaded it, so jest does not always see them as errors.
 */
const refused = (write: Promise<unknown>) => write.then(() => false, () => true);

const agent = (email: string) => store.agents.create({ email, name: email.split('@')[0]!, role: 'agent', passwordHash: 'unused' });

describe(`store conformance (${BACKEND})`, () => {
  test("the console's search finds conversations by a message's words, the shopper's name or e-mail, or the id; notes are not searched", async () => {
    const marta = await store.conversations.create('es');
    await store.conversations.setShopper(marta.id, { name: 'Marta Díaz', email: 'marta@example.com' });
    await store.messages.insert({ conversationId: marta.id, sender: 'shopper', text: 'Mi pedido 4821 no llegó', lang: 'es' });
    const noted = await store.conversations.create('es');
    await store.messages.insert({ conversationId: noted.id, sender: 'shopper', text: 'hola', lang: 'es' });
    await store.messages.insert({ conversationId: noted.id, sender: 'agent', kind: 'note', authorName: 'Ana', text: 'revisar el pedido 4821', lang: 'es' });
    at('2026-03-02T15:05:00.000Z');
    const later = await store.conversations.create('en');
    await store.messages.insert({ conversationId: later.id, sender: 'shopper', text: 'ORDER 4821 is late', lang: 'en' });

    const found = await store.handoffs.findConversations(' 4821 ');
    expect(found.map((c) => [c.id, c.matched])).toEqual([[later.id, 'ORDER 4821 is late'], [marta.id, 'Mi pedido 4821 no llegó']]);
    expect(await store.handoffs.findConversations('order 4821')).toEqual([expect.objectContaining({ id: later.id, channel: 'web', status: 'bot' })]);
    expect(await store.handoffs.findConversations('MARTA@EXAMPLE')).toEqual([expect.objectContaining({ id: marta.id, shopperName: 'Marta Díaz', shopperEmail: 'marta@example.com', matched: null })]);
    expect((await store.handoffs.findConversations(noted.id)).map((c) => c.id)).toEqual([noted.id]);
    expect(await store.handoffs.findConversations('revisar el pedido')).toEqual([]);
    // Accented capitals fold like the others.
    await store.conversations.setShopper(noted.id, { name: 'ÁLVARO Núñez' });
    expect((await store.handoffs.findConversations('álvaro')).map((c) => c.id)).toEqual([noted.id]);
    // Agents type without accents: "nunez" finds "Núñez", "llego" finds "llegó", and an accent typed finds none written.
    expect((await store.handoffs.findConversations('alvaro nunez')).map((c) => c.id)).toEqual([noted.id]);
    expect((await store.handoffs.findConversations('Marta Diaz')).map((c) => c.id)).toEqual([marta.id]);
    expect((await store.handoffs.findConversations('no llego')).map((c) => c.id)).toEqual([marta.id]);
    expect((await store.handoffs.findConversations('ÓRDER 4821')).map((c) => c.id)).toEqual([later.id]);
  });

  test('messages come back in the order they were stored, after a cursor, with what was written', async () => {
    const conversation = await store.conversations.create('es', 'https://tienda.example/envios');
    const question = await store.messages.insert({ conversationId: conversation.id, sender: 'shopper', text: '¿Cuánto tarda el envío?', lang: 'es', normalized: 'cuanto tarda envio', clientMessageId: 'm1' });
    at('2026-03-02T15:00:01.000Z');
    const answer = await store.messages.insert({
      conversationId: conversation.id, sender: 'bot', text: 'De 2 a 5 días hábiles.', lang: 'es', action: 'answer', entryId: 'shipping-time',
      confidence: 0.92, replyTo: question.id, related: [{ id: 'shipping-cost', label: '¿Cuánto cuesta?' }],
    });
    // The question moved the conversation; the bot's reply to it did not.
    expect((await store.conversations.get(conversation.id))!.updatedAt).toBe('2026-03-02T15:00:00.000Z');
    const note = await store.messages.insert({ conversationId: conversation.id, sender: 'agent', kind: 'note', text: 'cliente frecuente', authorName: 'Ana' });

    expect(answer.id).toBeGreaterThan(question.id);
    expect(note.id).toBeGreaterThan(answer.id);
    expect(answer).toMatchObject({ sender: 'bot', action: 'answer', entryId: 'shipping-time', confidence: 0.92, replyTo: question.id, options: [], createdAt: '2026-03-02T15:00:01.000Z' });
    const all = await store.messages.listAfter(conversation.id);
    expect(all).toEqual([question, answer, note]);
    expect(await store.messages.listAfter(conversation.id, question.id)).toEqual([answer, note]);
    expect(await store.messages.listAfter(conversation.id, 0, 2)).toEqual([answer, note]); // the latest, oldest first
    expect(await store.messages.get(answer.id)).toEqual(answer);
    expect(await store.messages.lastShown(conversation.id)).toEqual(answer); // notes are never shown
    expect(await store.messages.lastShopperAt(conversation.id)).toBe('2026-03-02T15:00:00.000Z');
    expect((await store.conversations.get(conversation.id))!.updatedAt).toBe('2026-03-02T15:00:01.000Z'); // the agent's note did
  });

  test('a retried clientMessageId finds the first message, and cannot be stored twice in one conversation', async () => {
    const a = await store.conversations.create('es');
    const b = await store.conversations.create('en');
    const first = await store.messages.insert({ conversationId: a.id, sender: 'shopper', text: 'hola', clientMessageId: 'same' });
    await store.messages.insert({ conversationId: b.id, sender: 'shopper', text: 'hello', clientMessageId: 'same' });
    expect(await store.messages.findByClientId(a.id, 'same')).toEqual(first);
    expect(await refused(store.messages.insert({ conversationId: a.id, sender: 'shopper', text: 'hola', clientMessageId: 'same' }))).toBe(true);
    expect(await store.messages.listAfter(a.id)).toHaveLength(1);
    expect(await refused(store.messages.insert({ conversationId: 'no-such-conversation', sender: 'shopper', text: 'hola' }))).toBe(true);
  });

  test('two agents claim the same conversation at once, on two nodes: exactly one gets it', async () => {
    const conversation = await waitingConversation();
    const [ana, luis] = await Promise.all([agent('ana@tienda.example'), agent('luis@tienda.example')]);
    const node2 = await anotherNode();
    const results = await Promise.all([store.handoffs.claim(conversation.id, ana.id, TAKEN), node2.handoffs.claim(conversation.id, luis.id, TAKEN)]);
    expect([...results].sort()).toEqual(['already_taken', 'ok']);
    const winner = results[0] === 'ok' ? ana : luis;
    expect(await store.handoffs.current(conversation.id)).toMatchObject({ agentId: winner.id });
    expect((await store.conversations.get(conversation.id))!.status).toBe('agent');
    expect(await store.handoffs.claim(conversation.id, ana.id, TAKEN)).toBe('already_taken');
    // Only the holder resolves it.
    const loser = winner === ana ? luis : ana;
    expect(await store.handoffs.release(conversation.id, { outcome: 'resolved', heldBy: loser.id }, { from: 'agent', to: 'resolved' })).toBe(false);
    expect(await store.handoffs.current(conversation.id)).toMatchObject({ agentId: winner.id });
  });

  test('many claims racing for many conversations: each conversation gets exactly one agent', async () => {
    const conversations = await Promise.all(Array.from({ length: 8 }, () => waitingConversation()));
    const agents = await Promise.all(['a', 'b', 'c'].map((name) => agent(`${name}@tienda.example`)));
    const node2 = await anotherNode();
    const results = await Promise.all(
      conversations.flatMap((conversation) => agents.map((each, index) => (index % 2 ? node2 : store).handoffs.claim(conversation.id, each.id, TAKEN))),
    );
    expect(results.filter((result) => result === 'ok')).toHaveLength(conversations.length);
    expect(await store.handoffs.queue()).toEqual([]);
    expect(await store.handoffs.assigned()).toHaveLength(conversations.length);
  });

  test('a conversation enters the queue once; a request from the wrong status changes nothing', async () => {
    const conversation = await store.conversations.create('es');
    await store.conversations.setShopper(conversation.id, { name: 'Rosa' });
    const handoff = await store.handoffs.request(conversation.id, { reason: 'complaint', lang: 'es' }, WAITING);
    expect(handoff).toMatchObject({ conversationId: conversation.id, reason: 'complaint', lang: 'es', agentId: null, assignedAt: null, shopperName: 'Rosa', requestedAt: clock.toISOString() });
    expect(await store.handoffs.request(conversation.id, { reason: 'button', lang: 'es' }, WAITING)).toBeNull();
    expect(await store.handoffs.request(conversation.id, { reason: 'button', lang: 'es' }, { from: 'waiting', to: 'waiting' })).toBeNull();
    expect(await store.handoffs.queue()).toEqual([handoff]);
    expect(await store.conversations.changeStatus(conversation.id, { from: 'bot', to: 'resolved' })).toBe(false);
    expect((await store.conversations.get(conversation.id))!.status).toBe('waiting');
  });

  test('a stale change writes nothing: no claim of a chat that left the queue, and a refused request leaves no handoff behind', async () => {
    const ana = await agent('ana@tienda.example');
    const conversation = await waitingConversation();
    // The shopper left the queue for the form; a claim decided on the old status takes nothing.
    expect(await store.handoffs.release(conversation.id, { outcome: 'ticket', heldBy: null }, { from: 'waiting', to: 'bot' })).toBe(true);
    expect(await store.handoffs.claim(conversation.id, ana.id, TAKEN)).toBe('not_waiting');
    expect(await store.handoffs.current(conversation.id)).toBeUndefined();
    // A status that does not match rolls back the handoff row written with it.
    expect(await store.handoffs.request(conversation.id, { reason: 'button', lang: 'es' }, { from: 'agent', to: 'waiting' })).toBeNull();
    expect(await store.handoffs.current(conversation.id)).toBeUndefined();
    expect(await store.handoffs.queue()).toEqual([]);
    expect((await store.conversations.get(conversation.id))!.status).toBe('bot');
  });

  test('queue order: first come first served, and a requeued conversation goes in front', async () => {
    const first = await waitingConversation('Primera');
    at('2026-03-02T15:01:00.000Z');
    const second = await waitingConversation('Segunda');
    at('2026-03-02T15:02:00.000Z');
    const third = await waitingConversation('Tercera');
    const ana = await agent('ana@tienda.example');
    const queued = async () => (await store.handoffs.queue()).map((handoff) => handoff.shopperName);
    expect(await queued()).toEqual(['Primera', 'Segunda', 'Tercera']);

    at('2026-03-02T15:03:00.000Z');
    expect(await store.handoffs.claim(third.id, ana.id, TAKEN)).toBe('ok');
    expect(await queued()).toEqual(['Primera', 'Segunda']);
    expect(await store.handoffs.ofAgent(ana.id)).toMatchObject([{ conversationId: third.id, assignedAt: '2026-03-02T15:03:00.000Z' }]);
    at('2026-03-02T15:04:00.000Z');
    expect(await store.handoffs.requeue(third.id, 'someone-else', { from: 'agent', to: 'waiting' })).toBe(false);
    expect(await store.handoffs.requeue(third.id, ana.id, { from: 'agent', to: 'waiting' })).toBe(true);
    expect(await queued()).toEqual(['Tercera', 'Primera', 'Segunda']);

    // The shopper leaves the queue: released unheld; an agent's release needs the agent who holds it.
    expect(await store.handoffs.release(first.id, { outcome: 'ticket', heldBy: ana.id }, { from: 'waiting', to: 'bot' })).toBe(false);
    expect(await store.handoffs.release(first.id, { outcome: 'ticket', heldBy: null }, { from: 'waiting', to: 'bot' })).toBe(true);
    expect(await queued()).toEqual(['Tercera', 'Segunda']);
    expect(await store.handoffs.claim(second.id, ana.id, TAKEN)).toBe('ok');
    expect(await store.handoffs.claim(first.id, ana.id, TAKEN)).toBe('not_waiting');
    const luis = await agent('luis@tienda.example');
    expect(await store.handoffs.transfer(second.id, luis.id, ana.id)).toBe(false);
    expect(await store.handoffs.transfer(second.id, ana.id, luis.id)).toBe(true);
    at('2026-03-02T15:10:00.000Z');
    expect(await store.handoffs.release(second.id, { outcome: 'resolved', heldBy: luis.id }, { from: 'agent', to: 'resolved' })).toBe(true);
    expect(await store.handoffs.current(second.id)).toBeUndefined();
    expect(await store.handoffs.medianHandleSeconds()).toBeCloseTo(360, 3); // transferred at 15:04, resolved at 15:10 (SQLite's julianday is a float)
  });

  test("the form and agents fill only what the shop left empty on a verified shopper's conversation; the ticket keeps what was typed", async () => {
    const verified = await store.conversations.create('es');
    await store.conversations.setIdentity(verified.id, { id: 'cliente-1', name: 'Marta' });
    const typed = await store.tickets.leave({ conversationId: verified.id, name: 'Victoria', email: 'victoria@example.com', message: 'x', lang: 'es', reason: 'button' });
    expect(await store.conversations.get(verified.id)).toMatchObject({ shopperId: 'cliente-1', shopperName: 'Marta', shopperEmail: 'victoria@example.com' });
    expect(typed).toMatchObject({ name: 'Victoria', email: 'victoria@example.com' });
    await store.conversations.setShopper(verified.id, { name: 'Otra', email: 'otra@example.com' });
    expect(await store.conversations.get(verified.id)).toMatchObject({ shopperName: 'Marta', shopperEmail: 'victoria@example.com' });
  });

  test('tickets: leaving a message names the shopper; an answer by e-mail closes it and stores the reply', async () => {
    const conversation = await store.conversations.create('es');
    const ticket = await store.tickets.leave({ conversationId: conversation.id, name: 'Rosa', email: 'rosa@example.com', message: 'Mi pedido no llegó', lang: 'es', reason: 'complaint' });
    expect(ticket).toMatchObject({ conversationId: conversation.id, status: 'open', createdAt: clock.toISOString(), answeredAt: null });
    expect(await store.conversations.get(conversation.id)).toMatchObject({ shopperName: 'Rosa', shopperEmail: 'rosa@example.com' });
    const later = await store.tickets.create({ conversationId: conversation.id, name: 'Rosa', email: 'rosa@example.com', message: 'Sigo esperando', lang: 'es', reason: 'button' });
    expect((await store.tickets.open()).map((each) => each.id)).toEqual([ticket.id, later.id]);

    const ana = await agent('ana@tienda.example');
    at('2026-03-02T16:00:00.000Z');
    const stored = await store.tickets.recordAnswer(ticket.id, ana.id, [
      { conversationId: conversation.id, sender: 'agent', text: 'Ya salió tu pedido', via: 'email', authorName: 'Ana' },
      { conversationId: conversation.id, sender: 'bot', text: '¿Cómo te atendimos?', options: [{ id: 'csat:5', label: '5' }] },
    ]);
    expect(stored.map((message) => message.text)).toEqual(['Ya salió tu pedido', '¿Cómo te atendimos?']);
    expect(await store.messages.listAfter(conversation.id)).toEqual(stored);
    expect(await store.tickets.get(ticket.id)).toMatchObject({ status: 'answered', answeredAt: '2026-03-02T16:00:00.000Z', closedBy: ana.id });
    expect(await store.tickets.close(ticket.id, ana.id)).toBe(false);
    expect((await store.tickets.listed('2026-03-01T00:00:00.000Z')).map((each) => each.id)).toEqual([later.id, ticket.id]);
    expect(await store.tickets.close(later.id, ana.id)).toBe(true);

    const rating = await store.csat.record({ requestId: stored[1]!.id, conversationId: conversation.id, rating: 5, comment: null });
    expect(rating).toMatchObject({ agentId: ana.id, rating: 5 }); // the agent who answered the ticket
    expect(await store.csat.record({ requestId: stored[1]!.id, conversationId: conversation.id, rating: 4, comment: 'bien' })).toMatchObject({ rating: 4, comment: 'bien' });
    expect(await store.csat.ofConversation(conversation.id)).toHaveLength(1);
  });

  test('afterCommit: an acknowledgement goes out only once the write it follows is readable by another node', async () => {
    const conversation = await store.conversations.create('es');
    const node2 = await anotherNode();
    const seenByAck: number[] = [];
    const acked = new Promise<void>((resolve) => {
      store.groupWrites();
      void store.messages.insert({ conversationId: conversation.id, sender: 'shopper', text: 'hola', clientMessageId: 'ack-me' });
      store.afterCommit(() => {
        void node2.messages.findByClientId(conversation.id, 'ack-me').then((message) => {
          seenByAck.push(message ? 1 : 0);
          resolve();
        });
      });
    });
    await acked;
    expect(seenByAck).toEqual([1]);
  });

  test('agents, sessions, dialog state, login failures and feedback keep what they are given', async () => {
    const ana = await store.agents.create({ email: ' Ana@Tienda.example ', name: ' Ana ', role: 'editor', passwordHash: 'scrypt$x' });
    expect(ana).toMatchObject({ email: 'ana@tienda.example', name: 'Ana', role: 'editor' });
    expect(await refused(store.agents.create({ email: 'ana@tienda.example', name: 'Otra', role: 'agent', passwordHash: 'x' }))).toBe(true);
    expect(await store.agents.credentials('ANA@tienda.example')).toEqual({ agent: ana, passwordHash: 'scrypt$x' });
    expect(await store.agents.setRole('ana@tienda.example', 'admin')).toBe(true);
    expect(await store.agents.setRole('nadie@tienda.example', 'admin')).toBe(false);
    await store.agents.createSession('hash1', ana.id, '2026-03-03T15:00:00.000Z', 'scrypt$x');
    expect(await store.agents.sessionAgent('hash1')).toMatchObject({ id: ana.id, role: 'admin' });
    at('2026-03-03T15:00:00.000Z');
    expect(await store.agents.sessionAgent('hash1')).toBeUndefined(); // expired
    expect(await store.agents.createSession('hash2', ana.id, '2026-04-01T00:00:00.000Z', 'scrypt$x')).toBe(true);
    expect(await store.agents.setPassword('ANA@tienda.example', 'scrypt$y')).toBe(true);
    expect(await store.agents.sessionAgent('hash2')).toBeUndefined(); // a new password ends every session
    // A login that checked the old password while it was being changed starts no session.
    expect(await store.agents.createSession('hash3', ana.id, '2026-04-01T00:00:00.000Z', 'scrypt$x')).toBe(false);
    expect(await store.agents.sessionAgent('hash3')).toBeUndefined();
    expect(await store.agents.credentials('ana@tienda.example')).toMatchObject({ passwordHash: 'scrypt$y' });
    expect(await store.agents.setPassword('nadie@tienda.example', 'scrypt$y')).toBe(false);

    await store.dialogState.write({ 'handoff:c1': { streak: 1 }, 'handoff:c2': { streak: 2 } });
    await store.dialogState.delete(['handoff:c2', 'handoff:never']);
    expect(await store.dialogState.read('handoff:c1')).toEqual({ streak: 1 });
    expect(await store.dialogState.read('handoff:c2')).toBeUndefined();

    await store.loginFailures.record(['ip:1', 'pair:a|1'], 1000, 0);
    await store.loginFailures.record(['ip:1'], 2000, 0);
    expect(await store.loginFailures.get('ip:1')).toEqual({ failures: 2, lastFailureMs: 2000 });
    await store.loginFailures.forgiveOne('pair:a|1');
    expect(await store.loginFailures.get('pair:a|1')).toBeUndefined();
    await store.loginFailures.record(['ip:2'], 5000, 2500); // forgets keys quiet since 2500
    expect(await store.loginFailures.size()).toBe(1);

    const conversation = await store.conversations.create('es');
    const reply = await store.messages.insert({ conversationId: conversation.id, sender: 'bot', text: 'Hola' });
    await store.feedback.record(reply.id, conversation.id, false);
    at('2026-03-04T15:00:00.000Z');
    await store.feedback.record(reply.id, conversation.id, true);
    expect(await store.feedback.get(reply.id)).toEqual({ messageId: reply.id, conversationId: conversation.id, helpful: true, createdAt: '2026-03-03T15:00:00.000Z', updatedAt: '2026-03-04T15:00:00.000Z' });
    const unvoted = await store.messages.insert({ conversationId: conversation.id, sender: 'bot', text: 'Adiós' });
    expect(await store.feedback.votesOn([unvoted.id, reply.id])).toEqual([{ messageId: reply.id, helpful: true }]);
    expect(await store.feedback.votesOn([])).toEqual([]);
    expect(await store.healthy()).toBe(true);
  });

  test('a store reopened on its database (a restart: migrations already applied) keeps conversations and dialog state', async () => {
    const conversation = await store.conversations.create('es');
    await store.dialogState.write({ 'handoff:c1': { streak: 1 }, 'handoff:c2': { streak: 2 } });
    await store.dialogState.delete(['handoff:c2']);
    await store.close();
    store = await openAnother();
    expect(await store.conversations.get(conversation.id)).toMatchObject({ id: conversation.id, status: 'bot', lang: 'es' });
    expect(await store.dialogState.read('handoff:c1')).toEqual({ streak: 1 });
    expect(await store.dialogState.read('handoff:c2')).toBeUndefined();
  });

  test('unanswered questions: fallbacks, clarifications and weak answers, grouped by normalized text and counted', async () => {
    const conversation = (await store.conversations.create('es')).id;
    const exchange = async (text: string, normalized: string, action: 'answer' | 'clarify' | 'fallback', confidence: number) => {
      const asked = await store.messages.insert({ conversationId: conversation, sender: 'shopper', text, normalized, lang: 'es' });
      await store.messages.insert({ conversationId: conversation, sender: 'bot', text: '…', action, confidence, replyTo: asked.id, lang: 'es' });
    };
    await exchange('¿Venden tarjetas de regalo?', 'venden tarjetas de regalo', 'fallback', 0.1);
    await exchange('venden tarjetas de regalo', 'venden tarjetas de regalo', 'fallback', 0.12);
    await exchange('tarjeta', 'tarjeta', 'clarify', 0.4);
    await exchange('cuanto cuesta el envio', 'cuanto cuesta el envio', 'answer', 0.9);
    await exchange('plazos', 'plazos', 'answer', 0.3);
    // Answered well once an editor added it: the row still shows its last unanswered asking.
    await exchange('¿Venden tarjetas de regalo?', 'venden tarjetas de regalo', 'answer', 0.95);

    const rows = await store.unanswered();
    expect(rows.map((row) => [row.normalized, row.count, row.lastAction])).toEqual([
      ['venden tarjetas de regalo', 2, 'fallback'],
      ['plazos', 1, 'answer'],
      ['tarjeta', 1, 'clarify'],
    ]);
    expect(rows[0]!.example).toBe('venden tarjetas de regalo');
    expect(await store.unanswered({ limit: 1 })).toHaveLength(1);
    expect(await store.unanswered({ since: '2999-01-01' })).toEqual([]);
  });

  test('analytics on seeded data: containment, reasons, waits, CSAT, answers and questions', async () => {
    const ana = await agent('ana@tienda.example');
    const ask = async (conversation: Conversation, text: string, reply: { action: 'answer' | 'fallback' | 'clarify'; entryId?: string }) => {
      const question = await store.messages.insert({ conversationId: conversation.id, sender: 'shopper', text, lang: conversation.lang, normalized: text });
      return store.messages.insert({ conversationId: conversation.id, sender: 'bot', text: '…', lang: conversation.lang, action: reply.action, entryId: reply.entryId ?? null, confidence: 0.8, replyTo: question.id });
    };
    at('2026-03-02T15:00:00.000Z');
    const contained = await store.conversations.create('es');
    const answer = await ask(contained, 'envio', { action: 'answer', entryId: 'shipping-time' });
    await store.feedback.record(answer.id, contained.id, true);
    await ask(contained, 'regalo', { action: 'fallback' });
    const escalated = await store.conversations.create('es');
    await ask(escalated, 'tarjeta', { action: 'clarify' });
    await store.handoffs.request(escalated.id, { reason: 'human-request', lang: 'es' }, WAITING);
    at('2026-03-02T15:02:00.000Z');
    await store.handoffs.claim(escalated.id, ana.id, TAKEN);
    at('2026-03-02T15:03:30.000Z');
    await store.messages.insert({ conversationId: escalated.id, sender: 'agent', text: 'Hola, soy Ana', lang: 'es' });
    at('2026-03-02T15:12:00.000Z');
    await store.handoffs.release(escalated.id, { outcome: 'resolved', heldBy: ana.id }, { from: 'agent', to: 'resolved' });
    const question = await store.messages.insert({ conversationId: escalated.id, sender: 'bot', text: '¿Cómo te atendimos?', lang: 'es' });
    await store.csat.record({ requestId: question.id, conversationId: escalated.id, rating: 4, comment: null });
    const english = await store.conversations.create('en');
    await ask(english, 'refund', { action: 'answer', entryId: 'refunds' });
    await store.tickets.leave({ conversationId: english.id, name: 'Ann', email: 'ann@example.com', message: 'help', lang: 'en', reason: 'button' });
    at('2026-03-03T10:00:00.000Z');
    await store.conversations.create('es'); // the shopper never wrote: not counted

    const days = [
      { day: '2026-03-02', start: '2026-03-02T06:00:00.000Z', end: '2026-03-03T06:00:00.000Z' },
      { day: '2026-03-03', start: '2026-03-03T06:00:00.000Z', end: '2026-03-04T06:00:00.000Z' },
    ];
    const figures = await store.analytics.figures({ from: days[0]!.start, to: days[1]!.end, days, lang: null });
    expect(figures).toEqual({
      days: [{ day: '2026-03-02', conversations: 3, contained: 1 }, { day: '2026-03-03', conversations: 0, contained: 0 }],
      reasons: [{ reason: 'button', handoffs: 0, tickets: 1 }, { reason: 'human-request', handoffs: 1, tickets: 0 }],
      handoffs: 1,
      firstReply: { count: 1, p50: 210, p90: 210 },
      handling: { count: 1, p50: 600, p90: 600 },
      csat: [0, 0, 0, 1, 0],
      entries: [{ entryId: 'refunds', answers: 1, helpful: 0, unhelpful: 0 }, { entryId: 'shipping-time', answers: 1, helpful: 1, unhelpful: 0 }],
      questions: 4,
      fallbacks: 1,
      clarifications: 1,
      tickets: { opened: 1, answered: 0, closedUnanswered: 0, open: 1, timeToAnswer: { count: 0, p50: null, p90: null } },
    });
    const spanish = await store.analytics.figures({ from: days[0]!.start, to: days[1]!.end, days, lang: 'es' });
    expect(spanish.days[0]).toEqual({ day: '2026-03-02', conversations: 2, contained: 1 });
    expect(spanish.questions).toBe(3);

    const unanswered = await store.unanswered({ since: '2026-03-01' });
    expect(unanswered.map((row) => [row.normalized, row.lastAction, row.count])).toEqual([['tarjeta', 'clarify', 1], ['regalo', 'fallback', 1]]);
    const gaps = await store.gaps.questions({ belowConfidence: 0.5 });
    expect(gaps.map((gap) => [gap.text, gap.reason])).toEqual([['tarjeta', 'clarify_unpicked'], ['regalo', 'fallback']]); // newest first
    const handledAt = await store.gaps.markHandled('es', ['regalo', 'regalo'], ana.id);
    expect(await store.gaps.handled()).toEqual(new Map([['es regalo', handledAt]]));
  });

  test('a shopper is exported and forgotten with everything that hangs from their conversations', async () => {
    const conversation = await store.conversations.create('es');
    await store.conversations.setShopper(conversation.id, { email: 'rosa@example.com' });
    const reply = await store.messages.insert({ conversationId: conversation.id, sender: 'bot', text: 'Hola' });
    await store.feedback.record(reply.id, conversation.id, true);
    await store.dialogState.write({ [`handoff:${conversation.id}`]: { streak: 1 } });
    await store.handoffs.request(conversation.id, { reason: 'button', lang: 'es' }, WAITING);
    await store.tickets.create({ conversationId: conversation.id, name: 'Rosa', email: 'rosa@example.com', message: 'hola', lang: 'es', reason: 'button' });
    const other = await store.conversations.create('es');

    const record = await store.shoppers.export(' Rosa@Example.com ');
    expect(record.email).toBe('rosa@example.com');
    expect(record.conversations).toHaveLength(1);
    expect(record.conversations[0]!.messages).toHaveLength(1);
    expect(record.conversations[0]!.handoffs).toHaveLength(1);
    expect(await store.shoppers.forget('rosa@example.com')).toMatchObject({ conversations: 1, messages: 1, tickets: 1 });
    expect(await store.conversations.get(conversation.id)).toBeUndefined();
    expect(await store.dialogState.read(`handoff:${conversation.id}`)).toBeUndefined();
    expect(await store.conversations.get(other.id)).toBeDefined();
    expect((await store.shoppers.export('rosa@example.com')).conversations).toEqual([]);
  });
});
