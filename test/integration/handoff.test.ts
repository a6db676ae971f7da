import { hashPassword } from '../../src/auth';
import type { ConfigInput } from '../../src/config';
import type { EngineHost } from '../../src/engine';
import { ShopperClient, type Frame } from '../helpers/shopper-client';
import { ALWAYS_OPEN, projectEngineHost, startTestServer, tempDataDir, type TestServer } from '../helpers/app';
import { dbOf } from '../helpers/db';

/**
 * The human handoff end to end: real app on port 0, real SQLite file, real `ws` clients for the
 * shopper and for agents (authenticated by logging in over HTTP, like the console does).
 */

const OPEN_CONFIG: ConfigInput = { handoff: { businessHours: ALWAYS_OPEN, reconnectGraceSeconds: 0, agentCapacity: 2 } };

let engineHost: EngineHost;
const running: TestServer[] = [];
const sockets: ShopperClient[] = [];

beforeAll(() => {
  engineHost = projectEngineHost();
});
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((socket) => socket.close()));
  await Promise.all(running.splice(0).map((server) => server.stop()));
});
afterAll(() => engineHost.close());

async function start(config: ConfigInput = OPEN_CONFIG, options: { dataDir?: string; clock?: () => Date } = {}): Promise<TestServer> {
  const server = await startTestServer({ config, dataDir: options.dataDir, deps: { engineHost, clock: options.clock } });
  running.push(server);
  return server;
}

async function shopper(server: TestServer, lang: 'es' | 'en' = 'es', token?: string): Promise<{ client: ShopperClient; welcome: Frame }> {
  const client = await ShopperClient.connect(server.socketUrl);
  sockets.push(client);
  const welcome = await client.hello({ lang, ...(token ? { token } : {}) });
  return { client, welcome };
}

const PASSWORD = 'correct horse battery staple';

async function createAgent(server: TestServer, email: string, name: string): Promise<void> {
  await server.app.store.agents.create({ email, name, role: 'agent', passwordHash: hashPassword(PASSWORD) });
}

async function loginCookie(server: TestServer, email: string): Promise<string> {
  const response = await fetch(`${server.httpUrl}/agent/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(response.status).toBe(200);
  return response.headers.get('set-cookie')!.split(';')[0];
}

/** An agent's console socket; resolves after the welcome frame. */
async function agent(server: TestServer, email: string, name = email.split('@')[0]): Promise<{ client: ShopperClient; welcome: Frame }> {
  if (!(await server.app.store.agents.credentials(email))) await createAgent(server, email, name);
  const cookie = await loginCookie(server, email);
  const client = await ShopperClient.connect(server.socketUrl.replace('/ws/shopper', '/agent/socket'), { headers: { cookie } });
  sockets.push(client);
  return { client, welcome: await client.next('welcome') };
}

/** The next status frame in `state` (and at `position`, if given); earlier ones are skipped. */
async function nextStatus(client: ShopperClient, state: string, position?: number): Promise<Frame> {
  for (;;) {
    const frame = await client.next('status');
    if (frame.state === state && (position === undefined || frame.position === position)) return frame;
  }
}

async function nextText(client: ShopperClient, from: string, pattern: RegExp): Promise<Frame> {
  for (;;) {
    const frame = await client.nextMessageFrom(from);
    if (pattern.test(String(frame.text))) return frame;
  }
}

function reasons(server: TestServer): string[] {
  return (dbOf(server.app.store).prepare('SELECT reason FROM handoffs ORDER BY id').all() as Array<{ reason: string }>).map((row) => row.reason);
}

test('shopper presses "talk to a person", an agent gets the chat, they talk both ways, the agent resolves', async () => {
  const server = await start();
  const ana = await agent(server, 'ana@tienda.example', 'Ana');
  const { client, welcome } = await shopper(server);
  await client.ask('¿cuánto cuesta el envío?');

  client.send({ type: 'handoff_request' });
  await nextText(client, 'bot', /persona de nuestro equipo/);
  await nextText(client, 'system', /Ana se unió/);
  const withAgent = await nextStatus(client, 'agent');
  expect(withAgent.agentName).toBe('Ana');

  const assigned = await ana.client.next('assigned');
  expect(assigned.conversationId).toBe(welcome.conversationId);
  expect(reasons(server)).toEqual(['button']);

  // The agent opens the chat: the whole transcript, with what the bot matched and how sure it was.
  ana.client.send({ type: 'open', conversationId: welcome.conversationId });
  const transcript = await ana.client.next('conversation');
  const botAnswer = (transcript.messages as Frame[]).find((m) => m.from === 'bot' && m.entryId === 'shipping-cost');
  expect(botAnswer).toBeDefined();
  expect(botAnswer!.confidence).toBeGreaterThan(0.5);

  ana.client.send({ type: 'message', conversationId: welcome.conversationId, clientMessageId: 'a1', text: 'Hola, soy Ana. ¿En qué te ayudo?' });
  expect((await ana.client.next('ack')).clientMessageId).toBe('a1');
  const fromAgent = await client.nextMessageFrom('agent');
  expect(fromAgent.text).toBe('Hola, soy Ana. ¿En qué te ayudo?');
  expect(fromAgent.authorName).toBe('Ana');

  // A private note reaches agents, never the shopper.
  ana.client.send({ type: 'note', conversationId: welcome.conversationId, clientMessageId: 'n1', text: 'cliente frecuente, ofrecer cupón' });
  await ana.client.next('ack');

  // While an agent has the chat the bot stays silent: the question goes to Ana only.
  client.send({ type: 'message', clientMessageId: 's1', text: '¿cuánto cuesta el envío a Lima?' });
  await client.next('ack');
  const forwarded = await ana.client.next('message');
  expect((forwarded.message as Frame).text).toBe('¿cuánto cuesta el envío a Lima?');

  // Typing both ways.
  client.send({ type: 'typing', isTyping: true });
  expect(await ana.client.next('typing')).toMatchObject({ from: 'shopper', isTyping: true });
  ana.client.send({ type: 'typing', conversationId: welcome.conversationId, isTyping: true });
  expect(await client.next('typing')).toMatchObject({ from: 'agent', isTyping: true, agentName: 'Ana' });

  ana.client.send({ type: 'resolve', conversationId: welcome.conversationId });
  // Who answers next, said plainly: the bot, unless the shopper asks for a person again.
  const resolved = await nextText(client, 'system', /resuelta/);
  expect(resolved.text).toMatch(/te responde el asistente automático; para volver con una persona, pide «hablar con una persona»/);
  await nextStatus(client, 'resolved');

  const seen = await client.unread();
  expect(seen.some((frame) => frame.type === 'message' && frame.from === 'bot')).toBe(false);
  expect(JSON.stringify(client.frames)).not.toContain('ofrecer cupón');

  // After "resolved" the bot is back.
  const { reply } = await client.ask('¿cuánto cuesta el envío?');
  expect(reply.entryId).toBe('shipping-cost');
});

describe('escalation triggers, each recorded with its reason', () => {
  test.each([
    ['the human-request intent', 'quiero hablar con una persona', 'human-request'],
    ['the complaint intent', 'quiero poner una queja formal', 'complaint'],
  ])('%s', async (_name, text, reason) => {
    const server = await start();
    await agent(server, 'ana@tienda.example');
    const { client } = await shopper(server);
    client.send({ type: 'message', clientMessageId: 'm1', text });
    await nextStatus(client, 'agent');
    expect(reasons(server)).toEqual([reason]);
  });

  test('strongly negative sentiment, even when the bot matched a FAQ', async () => {
    const server = await start();
    await agent(server, 'ana@tienda.example');
    const { client } = await shopper(server, 'en');
    client.send({ type: 'message', clientMessageId: 'm1', text: 'how long does shipping take, the last one was terrible and awful' });
    await nextText(client, 'bot', /very sorry/);
    await nextStatus(client, 'agent');
    expect(reasons(server)).toEqual(['negative-sentiment']);
  });

  test('a FAQ marked escalate: the bot answers it, then hands off', async () => {
    const server = await start();
    await agent(server, 'ana@tienda.example');
    const { client } = await shopper(server);
    const { reply } = await client.ask('me llegó roto el producto');
    expect(reply.entryId).toBe('damaged-item');
    await nextText(client, 'bot', /te paso con una persona/);
    await nextStatus(client, 'agent');
    expect(reasons(server)).toEqual(['faq:damaged-item']);
    // One handoff message per handoff: the FAQ's answer is about the case, the handoff says who comes.
    const handoffTexts = client.frames.filter((f) => f.type === 'message' && f.from === 'bot' && /te paso|persona de nuestro equipo/i.test(String(f.text)));
    expect(handoffTexts).toHaveLength(1);
  });

  test('low confidence twice: the bot offers a person; declining keeps the bot, accepting queues', async () => {
    const server = await start();
    await agent(server, 'ana@tienda.example');
    const { client } = await shopper(server);
    await client.ask('xyzzy plugh');
    await client.ask('qwerty asdf zxcv');
    const offer = await nextText(client, 'bot', /Quieres que te pase con una persona/);
    expect((offer.options as Frame[]).map((o) => o.id)).toEqual(['handoff:accept', 'handoff:decline']);

    client.send({ type: 'choice', clientMessageId: 'c1', id: 'handoff:decline' });
    await nextText(client, 'bot', /sigo aquí/);
    expect(reasons(server)).toEqual([]);
    const { reply } = await client.ask('¿cuánto cuesta el envío?');
    expect(reply.entryId).toBe('shipping-cost');

    await client.ask('xyzzy plugh');
    await client.ask('qwerty asdf zxcv');
    await nextText(client, 'bot', /Quieres que te pase/);
    client.send({ type: 'message', clientMessageId: 'yes', text: 'sí' });
    await nextStatus(client, 'agent');
    expect(reasons(server)).toEqual(['low-confidence']);
  });
});

test('queue: positions and estimates reach waiting shoppers live; routing respects capacity', async () => {
  const server = await start({ handoff: { businessHours: ALWAYS_OPEN, agentCapacity: 1, reconnectGraceSeconds: 0 } });
  const ana = await agent(server, 'ana@tienda.example', 'Ana');
  const first = await shopper(server);
  first.client.send({ type: 'handoff_request' });
  await nextStatus(first.client, 'agent');

  const second = await shopper(server);
  second.client.send({ type: 'handoff_request' });
  const secondWaiting = await nextStatus(second.client, 'waiting');
  expect(secondWaiting.position).toBe(1);
  expect(secondWaiting.etaSeconds).toBeGreaterThan(60);

  const third = await shopper(server);
  third.client.send({ type: 'handoff_request' });
  expect((await nextStatus(third.client, 'waiting')).position).toBe(2);

  // A waiting shopper keeps typing; the message is kept for the agent.
  second.client.send({ type: 'message', clientMessageId: 'w1', text: 'sigo aquí, es sobre mi pedido 123' });
  await second.client.next('ack');

  // Ana frees her slot: the second shopper is routed to her, the third moves up to position 1.
  ana.client.send({ type: 'resolve', conversationId: first.welcome.conversationId });
  await nextStatus(second.client, 'agent');
  expect((await nextStatus(third.client, 'waiting')).position).toBe(1);
  ana.client.send({ type: 'open', conversationId: second.welcome.conversationId });
  const transcript = await ana.client.next('conversation');
  expect((transcript.messages as Frame[]).some((m) => m.text === 'sigo aquí, es sobre mi pedido 123')).toBe(true);
});

test('routing: a new chat goes to the online agent with the fewest open chats', async () => {
  const server = await start({ handoff: { businessHours: ALWAYS_OPEN, agentCapacity: 3, reconnectGraceSeconds: 0 } });
  const ana = await agent(server, 'ana@tienda.example', 'Ana');
  const first = await shopper(server);
  first.client.send({ type: 'handoff_request' });
  expect((await nextStatus(first.client, 'agent')).agentName).toBe('Ana');
  await ana.client.next('assigned');

  const beto = await agent(server, 'beto@tienda.example', 'Beto');
  const second = await shopper(server);
  second.client.send({ type: 'handoff_request' });
  expect((await nextStatus(second.client, 'agent')).agentName).toBe('Beto');
  expect((await beto.client.next('assigned')).conversationId).toBe(second.welcome.conversationId);
});

test('two agents racing to claim the same conversation: exactly one gets it', async () => {
  const server = await start({ handoff: { businessHours: ALWAYS_OPEN, agentCapacity: 1, reconnectGraceSeconds: 0 } });
  const ana = await agent(server, 'ana@tienda.example', 'Ana');
  const beto = await agent(server, 'beto@tienda.example', 'Beto');
  for (const _ of [1, 2]) {
    const busy = await shopper(server);
    busy.client.send({ type: 'handoff_request' });
    await nextStatus(busy.client, 'agent');
  }
  const contested = await shopper(server);
  contested.client.send({ type: 'handoff_request' });
  await nextStatus(contested.client, 'waiting');

  const claim = { type: 'claim', conversationId: contested.welcome.conversationId };
  ana.client.send(claim);
  beto.client.send(claim);
  const outcomes = await Promise.all(
    [ana.client, beto.client].map(async (client) => {
      for (;;) {
        const frame = await client.next();
        if (frame.type === 'ok' && frame.request === 'claim') return 'ok';
        if (frame.type === 'error') return String(frame.code);
      }
    }),
  );
  expect(outcomes.sort()).toEqual(['already_taken', 'ok']);
  const holders = dbOf(server.app.store)
    .prepare('SELECT count(*) AS n FROM handoffs WHERE conversation_id = ? AND agent_id IS NOT NULL')
    .get(contested.welcome.conversationId) as { n: number };
  expect(holders.n).toBe(1);
});

test('an agent who disconnects: after the grace period their chats go back to the front of the queue, and the shopper is told', async () => {
  const server = await start({ handoff: { businessHours: ALWAYS_OPEN, agentCapacity: 1, reconnectGraceSeconds: 0 } });
  const ana = await agent(server, 'ana@tienda.example', 'Ana');
  const first = await shopper(server);
  first.client.send({ type: 'handoff_request' });
  await nextStatus(first.client, 'agent');
  const second = await shopper(server);
  second.client.send({ type: 'handoff_request' });
  expect((await nextStatus(second.client, 'waiting')).position).toBe(1);

  await ana.client.close();
  await nextText(first.client, 'system', /Ana se desconectó/);
  await nextStatus(first.client, 'waiting', 1);
  await nextStatus(second.client, 'waiting', 2);

  // The next agent to connect gets the requeued chat first.
  const beto = await agent(server, 'beto@tienda.example', 'Beto');
  expect((await beto.client.next('assigned')).conversationId).toBe(first.welcome.conversationId);
});

test('outside business hours: the bot says so in the shopper\'s language, takes name, e-mail and message, and stores a ticket agents see', async () => {
  // Sunday 23:30 in Mexico City; the default hours have no Sunday.
  const sundayNight = () => new Date('2026-11-23T05:30:00Z');
  const server = await start({ handoff: { reconnectGraceSeconds: 0 } }, { clock: sundayNight });
  const { client } = await shopper(server, 'en');
  client.send({ type: 'handoff_request' });
  const closed = await nextText(client, 'bot', /outside our opening hours/);
  expect(closed.text).toMatch(/back tomorrow at 09:00/);
  // The default promise: 2 business hours after the next opening, in the shop's time zone.
  expect(closed.text).toMatch(/we will reply by e-mail tomorrow before 11:00/);

  client.send({ type: 'message', clientMessageId: 'f1', text: 'Ana Pérez' });
  await nextText(client, 'bot', /Which e-mail/);
  client.send({ type: 'message', clientMessageId: 'f2', text: 'ana@gmail' });
  await nextText(client, 'bot', /doesn't look right/);
  client.send({ type: 'message', clientMessageId: 'f3', text: 'ana@example.com' });
  expect((await nextText(client, 'bot', /tell us what you need/)).text).toMatch(/We will write to ana@example.com/);
  client.send({ type: 'message', clientMessageId: 'f4', text: 'My order 1234 arrived without the scarf' });
  const done = await nextText(client, 'bot', /ticket #1/);
  expect(done.text).toContain('ana@example.com');

  const ana = await agent(server, 'ana@tienda.example', 'Ana');
  expect(ana.welcome.tickets).toEqual([
    expect.objectContaining({ name: 'Ana Pérez', email: 'ana@example.com', message: 'My order 1234 arrived without the scarf', lang: 'en', reason: 'button' }),
  ]);
  // Back to the bot afterwards.
  const { reply } = await client.ask('how much is shipping');
  expect(reply.entryId).toBe('shipping-cost');
});

test('no agent online during business hours: the shopper can leave a message, in Spanish', async () => {
  const server = await start();
  const { client } = await shopper(server);
  client.send({ type: 'message', clientMessageId: 'm1', text: 'quiero hablar con una persona' });
  const reply = await nextText(client, 'bot', /no hay nadie de nuestro equipo disponible/);
  expect(reply.text).toMatch(/¿Cuál es tu nombre\?/);
  client.send({ type: 'message', clientMessageId: 'f1', text: 'cancelar' });
  await nextText(client, 'bot', /Cancelado/);
  expect(await server.app.store.tickets.open()).toEqual([]);
});

test('a complaint with nobody online is met with an apology before the form, not with the form alone', async () => {
  const server = await start();
  const { client } = await shopper(server);
  client.send({ type: 'message', clientMessageId: 'c1', text: 'esto es una verguenza, quiero poner un reclamo' });
  const reply = await nextText(client, 'bot', /no hay nadie de nuestro equipo disponible/);
  expect(reply.text).toMatch(/^Lamento mucho la molestia/);
  expect(reply.text).toMatch(/¿Cuál es tu nombre\?/);
});

test('restart mid-handoff: the queue, the assignment and the transcript are still there', async () => {
  const dataDir = tempDataDir();
  const config: ConfigInput = { handoff: { businessHours: ALWAYS_OPEN, agentCapacity: 1, reconnectGraceSeconds: 600 } };
  const before = await start(config, { dataDir });
  const ana = await agent(before, 'ana@tienda.example', 'Ana');
  const first = await shopper(before);
  first.client.send({ type: 'handoff_request' });
  await nextStatus(first.client, 'agent');
  const second = await shopper(before);
  second.client.send({ type: 'handoff_request' });
  await nextStatus(second.client, 'waiting');
  ana.client.send({ type: 'message', conversationId: first.welcome.conversationId, clientMessageId: 'a1', text: 'Reviso tu pedido' });
  await first.client.nextMessageFrom('agent');

  await Promise.all(sockets.splice(0).map((socket) => socket.close()));
  await running.splice(0)[0].stop();

  const after = await start(config, { dataDir });
  const firstAgain = await shopper(after, 'es', String(first.welcome.token));
  expect(firstAgain.welcome.status).toBe('agent');
  expect((await firstAgain.client.next('status')).agentName).toBe('Ana');
  const secondAgain = await shopper(after, 'es', String(second.welcome.token));
  expect(firstAgain.client.frames).toEqual(expect.arrayContaining([expect.objectContaining({ from: 'agent', text: 'Reviso tu pedido' })]));
  expect(await secondAgain.client.next('status')).toMatchObject({ state: 'waiting', position: 1 });

  const anaAgain = await agent(after, 'ana@tienda.example', 'Ana');
  expect((anaAgain.welcome.chats as Frame[]).map((chat) => chat.conversationId)).toEqual([first.welcome.conversationId]);
  expect((anaAgain.welcome.queue as Frame[]).map((item) => item.conversationId)).toEqual([second.welcome.conversationId]);
  anaAgain.client.send({ type: 'message', conversationId: first.welcome.conversationId, clientMessageId: 'a2', text: 'Ya está, listo' });
  expect((await firstAgain.client.nextMessageFrom('agent')).text).toBe('Ya está, listo');
});

test('transfer to another online agent, then hand back to the bot', async () => {
  const server = await start();
  const ana = await agent(server, 'ana@tienda.example', 'Ana');
  const { client, welcome } = await shopper(server);
  client.send({ type: 'handoff_request' });
  await nextStatus(client, 'agent');
  const beto = await agent(server, 'beto@tienda.example', 'Beto');
  const betoId = (await server.app.store.agents.credentials('beto@tienda.example'))!.agent.id;

  // Only the holder may write or transfer.
  beto.client.send({ type: 'message', conversationId: welcome.conversationId, clientMessageId: 'b0', text: 'hola' });
  expect(await beto.client.next('error')).toMatchObject({ code: 'not_yours', clientMessageId: 'b0' });

  ana.client.send({ type: 'transfer', conversationId: welcome.conversationId, toAgentId: betoId });
  await nextText(client, 'system', /Ana te transfirió con Beto/);
  expect((await nextStatus(client, 'agent')).agentName).toBe('Beto');
  expect((await beto.client.next('assigned')).conversationId).toBe(welcome.conversationId);
  expect(await ana.client.next('released')).toMatchObject({ conversationId: welcome.conversationId, outcome: 'transferred' });

  beto.client.send({ type: 'hand_back', conversationId: welcome.conversationId });
  await nextText(client, 'system', /Beto te devolvió al asistente virtual/);
  await nextStatus(client, 'bot');
  const { reply } = await client.ask('¿cuánto cuesta el envío?');
  expect(reply.entryId).toBe('shipping-cost');
  const outcomes = dbOf(server.app.store).prepare('SELECT outcome FROM handoffs').all();
  expect(outcomes).toEqual([{ outcome: 'handed_back' }]);
});

test('notes never reach the shopper, not even in resumed history', async () => {
  const server = await start();
  const ana = await agent(server, 'ana@tienda.example', 'Ana');
  const { client, welcome } = await shopper(server);
  client.send({ type: 'handoff_request' });
  await nextStatus(client, 'agent');
  ana.client.send({ type: 'note', conversationId: welcome.conversationId, clientMessageId: 'n1', text: 'NOTA-SECRETA' });
  await ana.client.next('ack');
  ana.client.send({ type: 'message', conversationId: welcome.conversationId, clientMessageId: 'm1', text: 'visible' });
  await client.nextMessageFrom('agent');
  const resumed = await shopper(server, 'es', String(welcome.token));
  await resumed.client.unread();
  expect(JSON.stringify([...client.frames, ...resumed.client.frames])).not.toContain('NOTA-SECRETA');
});

test("notes go in the agent's own chats only, like replies", async () => {
  const server = await start();
  await agent(server, 'ana@tienda.example', 'Ana');
  const { client, welcome } = await shopper(server);
  client.send({ type: 'handoff_request' });
  await nextStatus(client, 'agent'); // Ana's: she was the only one online
  const other = await agent(server, 'beto@tienda.example', 'Beto');
  other.client.send({ type: 'note', conversationId: welcome.conversationId, clientMessageId: 'n-other', text: 'no es mío' });
  expect(await other.client.next('error')).toMatchObject({ code: 'not_yours', clientMessageId: 'n-other' });
  const notes = dbOf(server.app.store).prepare("SELECT count(*) AS n FROM messages WHERE kind = 'note'").get() as { n: number };
  expect(notes.n).toBe(0);
});

test('a ticket answer of 10,000 non-ASCII characters fits the agent socket', async () => {
  const server = await start();
  const ana = await agent(server, 'ana@tienda.example', 'Ana');
  ana.client.send({ type: 'ticket_email_reply', ticketId: 999_999, text: 'ñ'.repeat(10_000) });
  // Refused for what it says (no such ticket), not cut off by the socket for its size.
  expect((await ana.client.next('error')).code).toBe('not_found');
  ana.client.send({ type: 'ticket_email_reply', ticketId: 999_999, text: 'ñ'.repeat(10_001) });
  expect((await ana.client.next('error')).code).toBe('bad_frame');
});

test('the agent socket validates every frame and keeps serving after bad ones', async () => {
  const server = await start();
  const ana = await agent(server, 'ana@tienda.example', 'Ana');
  ana.client.send('not json');
  expect((await ana.client.next('error')).code).toBe('bad_frame');
  ana.client.send({ type: 'delete_everything' });
  expect((await ana.client.next('error')).code).toBe('unknown_frame');
  ana.client.send({ type: 'message', conversationId: 'x', clientMessageId: 'c1' });
  expect(await ana.client.next('error')).toMatchObject({ code: 'bad_frame', clientMessageId: 'c1' });
  ana.client.send({ type: 'claim', conversationId: 'no-such-conversation' });
  expect((await ana.client.next('error')).code).toBe('not_waiting');
  ana.client.send({ type: 'search', query: 'costo de envío', lang: 'es' });
  const results = await ana.client.next('search_results');
  expect((results.results as Frame[])[0]).toMatchObject({ id: 'shipping-cost' });
});

test('agents close tickets they have handled', async () => {
  const server = await start();
  const conversation = await server.app.store.conversations.create('es');
  const ticket = await server.app.store.tickets.create({ conversationId: conversation.id, name: 'Ana', email: 'a@b.example', message: 'hola', lang: 'es', reason: 'button' });
  const ana = await agent(server, 'ana@tienda.example', 'Ana');
  expect(ana.welcome.tickets).toHaveLength(1);
  ana.client.send({ type: 'close_ticket', ticketId: ticket.id });
  expect((await ana.client.next('tickets')).items).toEqual([]);
  ana.client.send({ type: 'close_ticket', ticketId: ticket.id });
  expect((await ana.client.next('error')).code).toBe('not_found');
});

test('left waiting with nobody online, the shopper may leave a message instead', async () => {
  const server = await start();
  const ana = await agent(server, 'ana@tienda.example', 'Ana');
  const { client } = await shopper(server);
  client.send({ type: 'handoff_request' });
  await nextStatus(client, 'agent');
  await ana.client.close();

  const offer = await nextText(client, 'bot', /no queda nadie de nuestro equipo conectado/);
  expect(offer.options).toEqual([{ id: 'handoff:leave_message', label: 'Dejar un mensaje' }]);
  client.send({ type: 'choice', clientMessageId: 'leave', id: 'handoff:leave_message' });
  await nextStatus(client, 'bot');
  await nextText(client, 'bot', /¿Cuál es tu nombre\?/);
  client.send({ type: 'message', clientMessageId: 'f1', text: 'Luis' });
  await nextText(client, 'bot', /correo/);
  client.send({ type: 'message', clientMessageId: 'f2', text: 'luis@example.com' });
  await nextText(client, 'bot', /cuéntanos qué necesitas/);
  client.send({ type: 'message', clientMessageId: 'f3', text: 'Necesito factura del pedido 88' });
  await nextText(client, 'bot', /ticket #1/);
  expect(await server.app.store.tickets.open()).toEqual([expect.objectContaining({ reason: 'button', email: 'luis@example.com' })]);
  expect(await server.app.store.handoffs.queue()).toEqual([]);
});

test.each([
  ['es', /^Ana se desconectó/, /no queda nadie de nuestro equipo conectado/, /otra persona|enseguida/i],
  ['en', /^Ana got disconnected/, /Nobody from our team is online/, /someone else|shortly/i],
] as const)('an agent logs out holding a chat with nobody else online: the shopper (%s) is not promised another person', async (lang, left, nobody, promise) => {
  const server = await start();
  await createAgent(server, 'ana@tienda.example', 'Ana');
  const cookie = await loginCookie(server, 'ana@tienda.example');
  const ana = await ShopperClient.connect(server.socketUrl.replace('/ws/shopper', '/agent/socket'), { headers: { cookie } });
  sockets.push(ana);
  await ana.next('welcome');
  const { client } = await shopper(server, lang);
  client.send({ type: 'handoff_request' });
  await nextStatus(client, 'agent');
  const beforeLogout = client.frames.length;

  const logout = await fetch(`${server.httpUrl}/agent/logout`, { method: 'POST', headers: { cookie }, redirect: 'manual' });
  expect(logout.status).toBe(303);
  await nextText(client, 'bot', nobody);
  const told = client.frames.slice(beforeLogout).filter((frame) => frame.type === 'message').map((frame) => String(frame.text));
  expect(told.some((text) => left.test(text))).toBe(true);
  expect(told.filter((text) => promise.test(text))).toEqual([]);
});

test('asking again while waiting just repeats where the shopper stands', async () => {
  const server = await start({ handoff: { businessHours: ALWAYS_OPEN, agentCapacity: 1, reconnectGraceSeconds: 0 } });
  await agent(server, 'ana@tienda.example', 'Ana');
  const busy = await shopper(server);
  busy.client.send({ type: 'handoff_request' });
  await nextStatus(busy.client, 'agent');
  const { client } = await shopper(server);
  client.send({ type: 'handoff_request' });
  await nextStatus(client, 'waiting', 1);
  client.send({ type: 'handoff_request' });
  await nextStatus(client, 'waiting', 1);
  expect(reasons(server)).toEqual(['button', 'button']);
});

test('an agent records the shopper\'s e-mail and sees their earlier conversations', async () => {
  const server = await start();
  const earlier = await server.app.store.conversations.create('es');
  await server.app.store.conversations.setShopper(earlier.id, { email: 'luz@example.com' });
  await server.app.store.messages.insert({ conversationId: earlier.id, sender: 'shopper', text: '¿hacen envíos a Lima?' });

  const ana = await agent(server, 'ana@tienda.example', 'Ana');
  const { client, welcome } = await shopper(server);
  client.send({ type: 'handoff_request' });
  await nextStatus(client, 'agent');
  ana.client.send({ type: 'shopper_details', conversationId: welcome.conversationId, name: 'Luz', email: 'Luz@Example.com' });
  const view = await ana.client.next('conversation');
  expect(view.conversation).toMatchObject({ shopperName: 'Luz', shopperEmail: 'luz@example.com' });
  expect(view.previous).toEqual([expect.objectContaining({ id: earlier.id, firstMessage: '¿hacen envíos a Lima?' })]);

  ana.client.send({ type: 'shopper_details', conversationId: welcome.conversationId, email: 'not-an-email' });
  expect((await ana.client.next('error')).code).toBe('bad_frame');

  // Only the agent holding the chat: a colleague cannot send the shopper's later e-mails elsewhere.
  const beto = await agent(server, 'beto@tienda.example', 'Beto');
  beto.client.send({ type: 'shopper_details', conversationId: welcome.conversationId, email: 'beto@otro.example' });
  expect((await beto.client.next('error')).code).toBe('not_yours');
  expect(await server.app.store.conversations.get(welcome.conversationId as string)).toMatchObject({ shopperEmail: 'luz@example.com' });
});

test('closing a socket mid-typing clears the other side\'s "typing…"; agent replies never carry client ids', async () => {
  const server = await start();
  const ana = await agent(server, 'ana@tienda.example', 'Ana');
  const { client, welcome } = await shopper(server);
  const conversationId = welcome.conversationId as string;
  client.send({ type: 'handoff_request' });
  await ana.client.next('assigned');
  await nextStatus(client, 'agent');

  // The shopper's message id, reused by the agent, is not a retry of the agent's reply: it is delivered.
  client.send({ type: 'message', clientMessageId: 'same-id', text: '¿tienen talla M?' });
  await client.next('ack');
  ana.client.send({ type: 'message', conversationId, clientMessageId: 'same-id', text: 'Sí, tenemos talla M.' });
  expect((await ana.client.next('ack')).clientMessageId).toBe('same-id');
  const fromAgent = await client.nextMessageFrom('agent');
  expect(fromAgent.text).toBe('Sí, tenemos talla M.');
  expect(fromAgent).not.toHaveProperty('clientMessageId');

  // A second tab of the shopper types, then closes.
  const tab = await ShopperClient.connect(server.socketUrl);
  sockets.push(tab);
  await tab.hello({ token: welcome.token as string });
  tab.send({ type: 'typing', isTyping: true });
  expect(await ana.client.next('typing')).toMatchObject({ from: 'shopper', isTyping: true });
  await tab.close();
  expect(await ana.client.next('typing')).toMatchObject({ conversationId, from: 'shopper', isTyping: false });

  // A second console of the agent types, then closes.
  const console2 = await agent(server, 'ana@tienda.example');
  console2.client.send({ type: 'typing', conversationId, isTyping: true });
  expect(await client.next('typing')).toMatchObject({ from: 'agent', isTyping: true });
  await console2.client.close();
  expect(await client.next('typing')).toMatchObject({ from: 'agent', isTyping: false, agentName: 'Ana' });
});

test('bot turns that leave the handoff dialogue as it was store no dialog state', async () => {
  const server = await start();
  const { client } = await shopper(server);
  await client.ask('¿cuánto cuesta el envío?');
  await client.ask('¿cuánto tarda el envío?');
  const rows = dbOf(server.app.store).prepare("SELECT count(*) AS n FROM dialog_state WHERE key LIKE 'handoff:%'").get() as { n: number };
  expect(rows.n).toBe(0);
});

test('on a holiday nobody is promised: an agent online is not offered, and the deadline skips the day', async () => {
  // Monday 10:00 in Mexico City, a public holiday; Tuesday is a short day.
  const holidayMorning = () => new Date('2026-11-16T16:00:00Z');
  const server = await start({ handoff: { specialDays: { '2026-11-16': 'closed', '2026-11-17': '09:00-10:00' } } }, { clock: holidayMorning });
  await agent(server, 'ana@tienda.example');
  const { welcome } = await shopper(server);
  expect(welcome.agentsAvailable).toBe(false);
  expect(welcome.greeting).toMatch(/fuera del horario de atención \(volvemos mañana a las 09:00, hora de Ciudad de México\)/);
  // Two business hours: one on Tuesday's short day, the other on Wednesday.
  expect(welcome.greeting).toMatch(/te respondemos por correo antes de las 10:00 del miércoles/);
});

describe('forms that cannot trap: while a question is open, other messages are understood as what they are', () => {
  // Saturday 15:00 in Mexico City: closed until Monday 09:00 (default hours, no Sunday).
  const saturdayAfternoon = () => new Date('2026-11-21T21:00:00Z');
  const closedServer = () => start({ handoff: { reconnectGraceSeconds: 0 } }, { clock: saturdayAfternoon });

  /** Sends a message; returns the `count` bot messages that answer it (a stray extra one would break the next step). */
  async function say(client: ShopperClient, text: string, count = 1): Promise<Frame[]> {
    client.send({ type: 'message', clientMessageId: `s-${Math.random().toString(36).slice(2)}`, text });
    await client.next('ack');
    return botMessages(client, count);
  }
  async function click(client: ShopperClient, id: string, count = 1): Promise<Frame[]> {
    client.send({ type: 'choice', clientMessageId: `c-${Math.random().toString(36).slice(2)}`, id });
    await client.next('ack');
    return botMessages(client, count);
  }
  async function botMessages(client: ShopperClient, count: number): Promise<Frame[]> {
    const messages: Frame[] = [];
    while (messages.length < count) messages.push(await client.nextMessageFrom('bot'));
    return messages;
  }
  const texts = (messages: Frame[]) => messages.map((m) => String(m.text));
  const optionIds = (message: Frame | undefined) => ((message?.options as Frame[] | undefined) ?? []).map((o) => o.id);

  test('the issue\'s dialogue out of hours: a complaint, then two questions, then "hablar con una persona", then a hostile address: nothing traps', async () => {
    const server = await closedServer();
    const { client, welcome } = await shopper(server);
    // Honest from the first message: nobody now, and when the shop replies.
    expect(welcome.agentsAvailable).toBe(false);
    expect(welcome.greeting).toMatch(/fuera del horario de atención \(volvemos el lunes a las 09:00, hora de Ciudad de México\)/);
    expect(welcome.greeting).toMatch(/te respondemos por correo antes de las 11:00 del lunes/);

    const complaint = await say(client, 'me llego el producto roto', 2);
    expect(complaint[0]!.entryId).toBe('damaged-item');
    expect(complaint[1]!.text).toMatch(/Déjanos tu mensaje y te respondemos por correo antes de las 11:00 del lunes \(hora de Ciudad de México\)\. ¿Cuál es tu nombre\?/);
    expect(optionIds(complaint[1])).toEqual(['handoff:form_cancel']);
    // One handoff message, and it does not promise a person who is not there.
    expect(texts(complaint).join(' ')).not.toMatch(/te paso/i);

    // Not a name: a question. The bot answers it and offers the form again.
    const returns = await say(client, 'kiero devolver unas zapatillas', 2);
    expect(returns[0]!.entryId).toBe('returns');
    expect(returns[1]!.text).toMatch(/Aún quieres dejarnos tu mensaje/);
    expect(optionIds(returns[1])).toEqual(['handoff:leave_message']);
    const invoice = await say(client, 'tienen boleta o factura');
    expect(invoice.map((m) => m.entryId)).toEqual(['invoice']);

    // Asking for a person works: nobody can come, so the form, honestly.
    const person = await say(client, 'hablar con una persona');
    expect(person).toHaveLength(1);
    expect(person[0]!.text).toMatch(/fuera del horario.*¿Cuál es tu nombre\?/);

    expect(texts(await say(client, 'Ana Pérez'))).toEqual([expect.stringMatching(/Gracias, Ana Pérez\. ¿A qué correo/)]);
    // At the e-mail step, asking for a person again (typed, then the button) keeps what was answered.
    const again = await say(client, 'hablar con una persona');
    expect(texts(again)).toEqual([expect.stringMatching(/fuera del horario.*Sigamos\. Ana Pérez, ¿a qué correo/)]);
    client.send({ type: 'handoff_request' });
    expect(texts(await botMessages(client, 1))).toEqual([expect.stringMatching(/Sigamos\. Ana Pérez, ¿a qué correo/)]);
    expect(await client.next('status')).toMatchObject({ state: 'bot', agentsAvailable: false });

    // One strict rule for the address: a quoted local part is refused, never cut down to '"@x.test'.
    expect(texts(await say(client, '"<svg/onload=alert(1)>"@x.test'))).toEqual([expect.stringMatching(/no parece válido/)]);
    const confirm = await say(client, 'ana@x.com');
    expect(confirm[0]!.text).toMatch(/Te escribiremos a ana@x\.com/);
    expect(optionIds(confirm[0])).toEqual(['handoff:form_change_email', 'handoff:form_cancel']);
    // Shown back, and fixable with one click.
    expect(texts(await click(client, 'handoff:form_change_email'))).toEqual([expect.stringMatching(/^Ana Pérez, ¿a qué correo/)]);
    expect(texts(await say(client, 'ana.perez@x.com'))).toEqual([expect.stringMatching(/Te escribiremos a ana\.perez@x\.com/)]);
    const done = await say(client, 'La caja llegó aplastada y la zapatilla rota, pedido 5521');
    expect(done[0]!.text).toMatch(/ticket #1\)\. Te responderemos a ana\.perez@x\.com antes de las 11:00 del lunes/);

    expect(await server.app.store.tickets.open()).toEqual([
      expect.objectContaining({ name: 'Ana Pérez', email: 'ana.perez@x.com', message: 'La caja llegó aplastada y la zapatilla rota, pedido 5521' }),
    ]);
    const badEmailReplies = client.frames.filter((f) => f.type === 'message' && /no parece válido/.test(String(f.text)));
    expect(badEmailReplies).toHaveLength(1);

    // The form's buttons stay on screen: a late click starts no second form behind the shopper's back.
    const late = await click(client, 'handoff:form_change_email');
    expect(texts(late)).toEqual([expect.stringMatching(/ya quedó enviado o cancelado/)]);
    expect(optionIds(late[0])).toEqual(['handoff:leave_message']);
    expect(await server.app.store.tickets.open()).toHaveLength(1);

    // Asking for a person again while that message waits: told it is there, not asked for it again.
    const waiting = await say(client, 'quiero hablar con alguien');
    expect(texts(waiting)).toEqual([expect.stringMatching(/fuera del horario.*Ya tenemos tu mensaje \(ticket #1\) y te responderemos a ana\.perez@x\.com antes de las 11:00 del lunes/)]);
    expect(optionIds(waiting[0])).toEqual(['handoff:leave_message']);
    // "Dejar un mensaje" still opens a new form for a second one.
    expect(texts(await click(client, 'handoff:leave_message'))).toEqual([expect.stringMatching(/¿Cuál es tu nombre\?/)]);
    expect(await server.app.store.tickets.open()).toHaveLength(1);
  });

  test('misunderstood twice after hours: the bot offers to leave a message, not a person who cannot come; the button opens the form', async () => {
    const server = await closedServer();
    const { client } = await shopper(server);
    await client.ask('xyzzy plugh');
    await client.ask('qwerty asdf zxcv');
    const offer = await nextText(client, 'bot', /Quieres dejarnos un mensaje\?/);
    expect(offer.text).toMatch(/^Ahora mismo estamos fuera del horario.*te responderá por correo antes de las 11:00 del lunes/);
    expect(String(offer.text)).not.toMatch(/te pase con una persona/);
    expect(optionIds(offer)).toEqual(['handoff:leave_message', 'handoff:decline']);
    // The button is the same handoff a typed "sí" makes, for the same reason.
    expect(texts(await click(client, 'handoff:leave_message'))).toEqual([expect.stringMatching(/¿Cuál es tu nombre\?$/)]);
    await say(client, 'Rosa');
    await say(client, 'rosa@x.com');
    await say(client, 'No encuentro cómo cambiar mi dirección');
    expect(await server.app.store.tickets.open()).toEqual([expect.objectContaining({ name: 'Rosa', reason: 'low-confidence' })]);
  });

  test('"Cancelar" is a button under every question of the form; typing it still works', async () => {
    const server = await closedServer();
    const { client, welcome } = await shopper(server);
    client.send({ type: 'handoff_request' });
    await nextText(client, 'bot', /¿Cuál es tu nombre\?/);
    expect(texts(await say(client, 'Luis'))).toEqual([expect.stringMatching(/¿A qué correo/)]);
    const cancelled = await click(client, 'handoff:form_cancel');
    expect(texts(cancelled)).toEqual([expect.stringMatching(/^Cancelado/)]);
    const shopperTexts = (await server.app.store.messages.listAfter(String(welcome.conversationId), 0)).filter((m) => m.sender === 'shopper').map((m) => m.text);
    expect(shopperTexts).toContain('Cancelar');
    // The form is gone: the bot answers again.
    expect((await say(client, '¿cuánto cuesta el envío?'))[0]!.entryId).toBe('shipping-cost');
    const rows = dbOf(server.app.store).prepare("SELECT count(*) AS n FROM dialog_state WHERE key LIKE 'handoff:%'").get() as { n: number };
    expect(rows.n).toBe(0);
    // "cancelar" typed again with nothing open is not anger (sentiment alone would escalate it).
    expect(texts(await say(client, 'cancelar'))).toEqual([expect.stringMatching(/^No hay nada que cancelar/)]);
    expect(reasons(server)).toEqual([]);
  });

  test('a FAQ button clicked during the form is answered; "Dejar un mensaje" brings the form back where it was', async () => {
    const server = await closedServer();
    const { client, welcome } = await shopper(server);
    client.send({ type: 'handoff_request' });
    await nextText(client, 'bot', /¿Cuál es tu nombre\?/);
    expect(texts(await say(client, 'Marta'))).toEqual([expect.stringMatching(/Gracias, Marta/)]);
    const suggestion = (welcome.suggestions as Frame[])[0]!;
    const answered = await click(client, String(suggestion.id), 2);
    expect(answered[0]!.entryId).toBe(suggestion.id);
    expect(optionIds(answered[1])).toEqual(['handoff:leave_message']);
    expect(texts(await click(client, 'handoff:leave_message'))).toEqual([expect.stringMatching(/^Marta, ¿a qué correo/)]);
  });

  test('"cancelar" after stepping out of the form cancels it: "Dejar un mensaje" then starts from the beginning', async () => {
    const server = await closedServer();
    const { client, welcome } = await shopper(server);
    client.send({ type: 'handoff_request' });
    await nextText(client, 'bot', /¿Cuál es tu nombre\?/);
    await say(client, 'Marta');
    await click(client, String((welcome.suggestions as Frame[])[0]!.id), 2);
    expect(texts(await say(client, 'cancelar'))).toEqual([expect.stringMatching(/^Cancelado/)]);
    expect(texts(await click(client, 'handoff:leave_message'))).toEqual([expect.stringMatching(/¿Cuál es tu nombre\?/)]);
  });

  test('a question that itself needs a person, asked in the middle of the form, keeps the name already given', async () => {
    const server = await start();
    const { client } = await shopper(server, 'en');
    client.send({ type: 'handoff_request' });
    await nextText(client, 'bot', /What is your name\?/);
    expect(texts(await say(client, 'Ana'))).toEqual([expect.stringMatching(/Thank you, Ana/)]);
    const replies = texts(await say(client, 'my package arrived damaged', 2));
    expect(replies[0]).toMatch(/so sorry/);
    expect(replies[1]).toMatch(/Nobody on our team is available/);
    expect(replies[1]).toMatch(/Ana, which e-mail/);
    expect(texts(await say(client, 'ana@example.com'))).toEqual([expect.stringMatching(/We will write to ana@example.com/)]);
  });

  test('a person comes online while the form is open: asking for a person now reaches them, and the form is dropped', async () => {
    const server = await start();
    const { client } = await shopper(server);
    client.send({ type: 'message', clientMessageId: 'm1', text: 'quiero hablar con una persona' });
    await nextText(client, 'bot', /¿Cuál es tu nombre\?/);
    await agent(server, 'ana@tienda.example', 'Ana');
    client.send({ type: 'message', clientMessageId: 'm2', text: 'hablar con una persona' });
    await nextStatus(client, 'agent');
    expect(reasons(server)).toEqual(['human-request']);
    const rows = dbOf(server.app.store).prepare("SELECT count(*) AS n FROM dialog_state WHERE key LIKE 'handoff:%'").get() as { n: number };
    expect(rows.n).toBe(0);
  });

  test('the "talk to a person?" offer: a question instead of yes/no is answered, and the handoff button still works', async () => {
    const server = await start();
    await agent(server, 'ana@tienda.example', 'Ana');
    const { client, welcome } = await shopper(server);
    expect(welcome.agentsAvailable).toBe(true);
    expect(welcome.greeting).toMatch(/una persona de nuestro equipo puede atenderte ahora mismo/);
    await client.ask('xyzzy plugh');
    await client.ask('qwerty asdf zxcv');
    await nextText(client, 'bot', /Quieres que te pase con una persona/);
    expect((await say(client, '¿cuánto cuesta el envío?'))[0]!.entryId).toBe('shipping-cost');
    client.send({ type: 'handoff_request' });
    await nextStatus(client, 'agent');
    expect(reasons(server)).toEqual(['button']);
  });

  test('"¿Te sirvió?" only for FAQ answers: message frames say which kind of entry answered', async () => {
    const server = await start();
    const { client } = await shopper(server);
    expect((await client.ask('hola')).reply).toMatchObject({ entryId: 'greeting', entryKind: 'intent' });
    expect((await client.ask('muchas gracias')).reply).toMatchObject({ entryId: 'thanks', entryKind: 'intent' });
    expect((await client.ask('¿cuánto cuesta el envío?')).reply).toMatchObject({ entryId: 'shipping-cost', entryKind: 'faq' });
  });
});

test('conversation search: an agent finds a past chat by its words; past 10 searches a minute, refused', async () => {
  const server = await start();
  const ana = await agent(server, 'ana@tienda.example', 'Ana');
  const { client, welcome } = await shopper(server);
  client.send({ type: 'message', clientMessageId: 'm1', text: 'el pedido 3141 llegó abierto' });
  await client.next('ack');
  ana.client.send({ type: 'find_conversations', query: '  3141 ' });
  const found = await ana.client.next('conversations_found');
  expect(found.query).toBe('3141');
  expect(found.results).toEqual([expect.objectContaining({ id: welcome.conversationId, matched: 'el pedido 3141 llegó abierto' })]);
  for (let i = 0; i < 9; i++) ana.client.send({ type: 'find_conversations', query: `zz${i}` });
  for (let i = 0; i < 9; i++) await ana.client.next('conversations_found');
  ana.client.send({ type: 'find_conversations', query: '3141' });
  expect(await ana.client.next('error')).toMatchObject({ code: 'rate_limited' });
  ana.client.send({ type: 'find_conversations', query: 'x' });
  expect(await ana.client.next('error')).toMatchObject({ code: 'bad_frame' });
});
