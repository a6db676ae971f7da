import { useShopperServer } from '../helpers/app';

const context = useShopperServer();
const shopper = () => context.shopper();

test('a new shopper gets a token, a greeting and three suggested questions', async () => {
  const client = await shopper();
  const welcome = await client.hello({ lang: 'es' });
  expect(welcome).toMatchObject({ type: 'welcome', lang: 'es', status: 'bot', resumed: false });
  expect(typeof welcome.token).toBe('string');
  expect(welcome.greeting).toMatch(/Hola/);
  expect(welcome.suggestions).toHaveLength(3);
});

test('"¿cuánto cuesta el envío?" → the shipping-cost answer, stored before the ack', async () => {
  const client = await shopper();
  const welcome = await client.hello({ lang: 'es' });
  client.send({ type: 'message', clientMessageId: 'q1', text: '¿cuánto cuesta el envío?' });
  const ack = await client.next('ack');
  expect(ack.clientMessageId).toBe('q1');
  const stored = await context.server.app.store.messages.get(ack.messageId as number);
  expect(stored).toMatchObject({ sender: 'shopper', text: '¿cuánto cuesta el envío?', conversationId: welcome.conversationId });

  const reply = await client.nextMessageFrom('bot');
  expect(reply).toMatchObject({ action: 'answer', entryId: 'shipping-cost' });
  expect(reply.text).toMatch(/env[ií]o/i);
  expect(await context.server.app.store.messages.get(reply.id as number)).toMatchObject({
    sender: 'bot',
    entryId: 'shipping-cost',
    action: 'answer',
    lang: 'es',
    replyTo: ack.messageId,
  });
});

test('a question sent right behind the hello, before the welcome came back, is answered after it: one socket\'s frames run in order', async () => {
  const client = await shopper();
  // The hello awaits the store before the socket has a conversation: the question arrives while it is still at it.
  client.send({ type: 'hello', lang: 'es', page: 'https://tienda.example/envios' });
  client.send({ type: 'message', clientMessageId: 'right-behind', text: '¿cuánto cuesta el envío?' });
  const reply = await client.nextMessageFrom('bot');
  expect(reply).toMatchObject({ action: 'answer', entryId: 'shipping-cost' });
  expect(client.frames.map((frame) => frame.type).slice(0, 2)).toEqual(['welcome', 'ack']);
  expect(client.frames.filter((frame) => frame.type === 'error')).toEqual([]);
});

test('an English question gets an English answer', async () => {
  const client = await shopper();
  await client.hello({ lang: 'en' });
  const { reply } = await client.ask('how much does shipping cost?');
  expect(reply).toMatchObject({ action: 'answer', entryId: 'shipping-cost' });
  expect(reply.text).toMatch(/shipping/i);
});

test('an ambiguous question → options → the shopper picks one → its answer', async () => {
  const client = await shopper();
  await client.hello({ lang: 'es' });
  // Whichever of these one-word questions the current knowledge base finds ambiguous.
  const ambiguous = ['tarjeta', 'pago', 'envío', 'cuenta', 'pedido', 'problema', 'cambio'].find((text) => {
    const decision = context.engineHost.current().respond(text, { lang: 'es' });
    return decision.action === 'clarify' && decision.options.length >= 2;
  });
  expect(ambiguous).toBeDefined();
  const { reply } = await client.ask(ambiguous!);
  expect(reply.action).toBe('clarify');
  const options = reply.options as Array<{ id: string; label: string }>;
  expect(options.length).toBeGreaterThanOrEqual(2);

  client.send({ type: 'choice', clientMessageId: 'pick-1', id: options[1]!.id });
  const ack = await client.next('ack');
  expect(await context.server.app.store.messages.get(ack.messageId as number)).toMatchObject({ sender: 'shopper', text: options[1]!.label });
  const answer = await client.nextMessageFrom('bot');
  expect(answer).toMatchObject({ action: 'answer', entryId: options[1]!.id });
});

test('a choice that is not in the knowledge base gets an unknown_choice error', async () => {
  const client = await shopper();
  await client.hello();
  client.send({ type: 'choice', clientMessageId: 'x', id: 'no-such-entry' });
  expect(await client.next('error')).toMatchObject({ code: 'unknown_choice', clientMessageId: 'x' });
});

test('thumbs on an answer are stored, and a change of mind replaces them', async () => {
  const client = await shopper();
  await client.hello({ lang: 'es' });
  const { reply } = await client.ask('¿cuánto cuesta el envío?');
  client.send({ type: 'feedback', messageId: reply.id, helpful: false });
  expect(await client.next('feedback_saved')).toMatchObject({ messageId: reply.id, helpful: false });
  client.send({ type: 'feedback', messageId: reply.id, helpful: true });
  await client.next('feedback_saved');
  expect(await context.server.app.store.feedback.get(reply.id as number)).toMatchObject({ helpful: true });
});

test('a resumed history brings the thumbs already given, after the messages they are on', async () => {
  const client = await shopper();
  const welcome = await client.hello({ lang: 'es' });
  const { reply: voted } = await client.ask('¿cuánto cuesta el envío?');
  await client.ask('¿cuánto tarda el envío?');
  client.send({ type: 'feedback', messageId: voted.id, helpful: false });
  await client.next('feedback_saved');
  await client.close();

  const again = await shopper();
  await again.hello({ token: String(welcome.token) });
  const vote = await again.next('feedback_saved');
  expect(vote).toEqual({ type: 'feedback_saved', messageId: voted.id, helpful: false });
  const replayed = again.frames.slice(0, again.frames.indexOf(vote));
  expect(replayed.some((frame) => frame.type === 'message' && frame.id === voted.id)).toBe(true);
  expect((await again.unread()).filter((frame) => frame.type === 'feedback_saved')).toEqual([]);
});

test('a retried message (same client id) is acknowledged again but answered once', async () => {
  const client = await shopper();
  await client.hello({ lang: 'es' });
  const first = await client.ask('¿cuánto tarda en llegar mi pedido?', 'retry-1');
  client.send({ type: 'message', clientMessageId: 'retry-1', text: '¿cuánto tarda en llegar mi pedido?' });
  const again = await client.next('ack');
  expect(again.messageId).toBe(first.ack.messageId);
  expect((await client.unread()).filter((frame) => frame.type === 'message')).toEqual([]);
});

test('asking for a person emits conversation.handoff_requested with the reason', async () => {
  const requests: unknown[] = [];
  const off = context.server.app.events.on('conversation.handoff_requested', (event) => requests.push(event));
  const client = await shopper();
  const welcome = await client.hello({ lang: 'es' });
  await client.ask('quiero hablar con una persona');
  await client.unread();
  off();
  expect(requests[0]).toEqual({ conversationId: welcome.conversationId, reason: 'human-request', lang: 'es' });
});

test('the bot stays silent while the conversation is not in the bot state; the message still reaches listeners', async () => {
  const client = await shopper();
  const welcome = await client.hello({ lang: 'es' });
  const conversationId = welcome.conversationId as string;
  await context.server.app.store.conversations.changeStatus(conversationId, { from: 'bot', to: 'agent' });
  context.server.app.events.emit('conversation.status_changed', { conversationId, status: 'agent', agentName: 'Lucía' });
  expect(await client.next('status')).toMatchObject({ state: 'agent', agentName: 'Lucía' });

  client.send({ type: 'message', clientMessageId: 'to-agent', text: '¿cuánto cuesta el envío?' });
  const ack = await client.next('ack');
  // Stored for the agent; this tab is not sent its own message back (the ack gave it the id).
  expect(await context.server.app.store.messages.get(ack.messageId as number)).toMatchObject({ sender: 'shopper', clientMessageId: 'to-agent' });

  const agentMessage = await context.server.app.store.messages.insert({ conversationId, sender: 'agent', text: 'Hola, soy Lucía', authorName: 'Lucía' });
  context.server.app.events.emit('message.created', { message: agentMessage });
  const note = await context.server.app.store.messages.insert({ conversationId, sender: 'agent', kind: 'note', text: 'cliente molesto' });
  context.server.app.events.emit('message.created', { message: note });
  expect(await client.next('message')).toMatchObject({ from: 'agent', text: 'Hola, soy Lucía', authorName: 'Lucía' });
  const rest = await client.unread();
  expect(rest.filter((frame) => frame.type === 'message')).toEqual([]);
});

test('picking a question that names the shop stores it with the shop name filled in', async () => {
  const entry = context.engineHost.current().knowledge.entries.find((e) => e.lang === 'es' && e.kind === 'faq' && e.question.includes('{shop}'));
  expect(entry).toBeDefined(); // "¿Es seguro comprar en {shop}?" in knowledge/es/pagos.md
  const client = await shopper();
  await client.hello({ lang: 'es' });
  client.send({ type: 'choice', clientMessageId: 'shop-q', id: entry!.id });
  const ack = await client.next('ack');
  expect((await context.server.app.store.messages.get(ack.messageId as number))?.text).toBe(entry!.question.replaceAll('{shop}', 'Tienda Demo'));
});
