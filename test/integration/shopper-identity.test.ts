import { shopperHash } from '../../src/session';
import type { EngineHost } from '../../src/engine';
import { connectAgent } from '../helpers/agent-client';
import { ALWAYS_OPEN, projectEngineHost, startTestServer, type TestServer } from '../helpers/app';
import { ShopperClient, type Frame } from '../helpers/shopper-client';
import { capturedLogger } from '../helpers/log-capture';

/** Identity verification: the shop's page vouches for its logged-in user with an HMAC only it can make. */

const SECRET = 'the-shop-keeps-this-secret-0123456789abcdef';

let engineHost: EngineHost;
let server: TestServer;
const sockets: ShopperClient[] = [];
/** Days the server's clock is ahead of the real one (a shopper coming back a month later). */
let daysLater = 0;

beforeAll(async () => {
  engineHost = projectEngineHost();
  const clock = () => new Date(Date.now() + daysLater * 86_400_000);
  server = await startTestServer({ config: { identitySecret: SECRET, handoff: { businessHours: ALWAYS_OPEN, reconnectGraceSeconds: 0 } }, deps: { engineHost, clock } });
});
afterEach(async () => {
  daysLater = 0;
  await Promise.all(sockets.splice(0).map((socket) => socket.close()));
});
afterAll(async () => {
  await server.stop();
  engineHost.close();
});

async function device(user?: object, token?: string): Promise<{ client: ShopperClient; welcome: Frame }> {
  const client = await ShopperClient.connect(server.socketUrl);
  sockets.push(client);
  const welcome = await client.hello({ lang: 'es', page: 'https://tienda.example/zapatillas', ...(user && { user }), ...(token && { token }) });
  return { client, welcome };
}

const marta = { id: 'cliente-1001', email: 'Marta@Example.com', name: 'Marta Díaz', hash: shopperHash(SECRET, { id: 'cliente-1001', email: 'Marta@Example.com', name: 'Marta Díaz' }) };

test('a verified shopper continues the same conversation on another device, with its history', async () => {
  const laptop = await device(marta);
  await laptop.client.ask('¿cuánto cuesta el envío?');
  const conversation = await server.app.store.conversations.get(String(laptop.welcome.conversationId))!;
  expect(conversation).toMatchObject({ shopperId: 'cliente-1001', shopperName: 'Marta Díaz', shopperEmail: 'marta@example.com' });

  const phone = await device(marta);
  expect(phone.welcome).toMatchObject({ conversationId: laptop.welcome.conversationId, resumed: true });
  const replayed = await phone.client.nextMessageFrom('shopper');
  expect(replayed.text).toBe('¿cuánto cuesta el envío?');
});

test.each([
  ['a forged hash', { ...marta, hash: shopperHash('some-other-secret-of-at-least-32-chars!', marta) }],
  ['a hash for another user id', { ...marta, hash: shopperHash(SECRET, { ...marta, id: 'cliente-2002' }) }],
  ["another customer's e-mail and name put on the page by a logged-in shopper", { ...marta, email: 'victima@example.com', name: 'Victoria' }],
])('%s never reaches the user\'s conversation or name', async (_case, forged) => {
  const real = await device(marta);
  await real.client.ask('mi pedido no llegó, pedido 555');
  const attacker = await device(forged);
  expect(attacker.client.frames.find((frame) => frame.type === 'error')?.code).toBe('identity_invalid');
  expect(attacker.welcome.conversationId).not.toBe(real.welcome.conversationId);
  expect(attacker.welcome.resumed).toBe(false);
  const stored = await server.app.store.conversations.get(String(attacker.welcome.conversationId))!;
  expect(stored).toMatchObject({ shopperId: null, shopperName: null, shopperEmail: null });
  expect(attacker.client.frames.some((frame) => frame.type === 'message' && String(frame.text).includes('555'))).toBe(false);
});

test.each([
  ['no hash', { id: marta.id, name: marta.name }],
  ['a hash that is not hex HMAC-SHA256', { id: marta.id, name: marta.name, hash: 'bWFydGE=' }],
  ['a claim that is not an object', 'cliente-1001'],
])('a user claim with %s is refused, and the shopper still chats as a visitor', async (_case, claim) => {
  const real = await device(marta);
  await real.client.ask('mi pedido no llegó, pedido 555');
  const { client, welcome } = await device(claim as object);
  expect(client.frames.find((frame) => frame.type === 'error')?.code).toBe('identity_invalid');
  expect(welcome).toMatchObject({ type: 'welcome', resumed: false });
  expect(welcome.conversationId).not.toBe(real.welcome.conversationId);
  expect(await server.app.store.conversations.get(String(welcome.conversationId))).toMatchObject({ shopperId: null, shopperName: null });
  const { reply } = await client.ask('¿cuánto cuesta el envío?');
  expect(reply.from).toBe('bot');
});

test('a verified user whose e-mail is not one we can write to keeps the identity, without the e-mail', async () => {
  const user = { id: 'cliente-6006', name: 'Inés', email: '"<svg/onload=alert(1)>"@x.test', hash: shopperHash(SECRET, { id: 'cliente-6006', name: 'Inés', email: '"<svg/onload=alert(1)>"@x.test' }) };
  const { client, welcome } = await device(user);
  expect(client.frames.some((frame) => frame.type === 'error')).toBe(false);
  expect(await server.app.store.conversations.get(String(welcome.conversationId))).toMatchObject({ shopperId: 'cliente-6006', shopperName: 'Inés', shopperEmail: null });
});

test('a verified user back after more than 30 days starts a new chat, the old one is history', async () => {
  const ana = await connectAgent(server, 'luz@tienda.example', 'Luz');
  sockets.push(ana.client);
  const user = { id: 'cliente-5005', name: 'Pía', hash: shopperHash(SECRET, { id: 'cliente-5005', name: 'Pía' }) };
  const old = await device(user);
  await old.client.ask('¿hacen envíos a regiones?');
  daysLater = 31;
  const back = await device(user);
  expect(back.welcome).toMatchObject({ resumed: false });
  expect(back.welcome.conversationId).not.toBe(old.welcome.conversationId);
  back.client.send({ type: 'handoff_request' });
  const assigned = await ana.client.next('assigned');
  ana.client.send({ type: 'open', conversationId: assigned.conversationId });
  const view = await ana.client.next('conversation');
  expect((view.previous as Array<{ firstMessage: string }>).map((p) => p.firstMessage)).toEqual(['¿hacen envíos a regiones?']);
  ana.client.send({ type: 'resolve', conversationId: assigned.conversationId });
  await ana.client.next('ok');
});

test('on a shared computer, the next user never sees the previous user\'s chat', async () => {
  const first = await device(marta);
  await first.client.ask('quiero cambiar mi dirección');
  const luis = { id: 'cliente-3003', name: 'Luis', hash: shopperHash(SECRET, { id: 'cliente-3003', name: 'Luis' }) };
  const next = await device(luis, String(first.welcome.token));
  expect(next.welcome.conversationId).not.toBe(first.welcome.conversationId);
  const loggedOut = await device(undefined, String(first.welcome.token));
  expect(loggedOut.welcome.conversationId).not.toBe(first.welcome.conversationId);
});

test('a visitor who logs in keeps the chat, and the agent sees the user\'s other conversations as history', async () => {
  const visitor = await device();
  const ana = await connectAgent(server, 'ana@tienda.example', 'Ana');
  sockets.push(ana.client);
  const user = { id: 'cliente-4004', name: 'Rocío', hash: shopperHash(SECRET, { id: 'cliente-4004', name: 'Rocío' }) };
  const older = await device(user);
  await older.client.ask('¿tienen tienda física?');
  await server.app.store.conversations.changeStatus(String(older.welcome.conversationId), { from: 'bot', to: 'resolved' });

  const loggedIn = await device(user, String(visitor.welcome.token));
  expect(loggedIn.welcome.conversationId).toBe(visitor.welcome.conversationId);
  loggedIn.client.send({ type: 'handoff_request' });
  const assigned = await ana.client.next('assigned');
  expect(assigned.conversationId).toBe(visitor.welcome.conversationId);
  ana.client.send({ type: 'open', conversationId: assigned.conversationId });
  const view = await ana.client.next('conversation');
  expect(view.shopper).toMatchObject({ displayName: 'Rocío', verified: true, online: true });
  // What the shop verified is not the agent's to change; what it left empty may be filled in.
  ana.client.send({ type: 'shopper_details', conversationId: String(assigned.conversationId), name: 'Otra', email: 'otra@example.com' });
  expect((await ana.client.next('error')).code).toBe('shopper_verified');
  ana.client.send({ type: 'shopper_details', conversationId: String(assigned.conversationId), email: 'rocio@example.com' });
  expect((await ana.client.next('conversation')).conversation).toMatchObject({ shopperName: 'Rocío', shopperEmail: 'rocio@example.com' });
  expect((view.previous as Array<{ firstMessage: string }>).map((p) => p.firstMessage)).toContain('¿tienen tienda física?');
  ana.client.send({ type: 'resolve', conversationId: String(assigned.conversationId) });
  await ana.client.next('ok');
});

test('without ATENTO_IDENTITY_SECRET the data-user-* claims are ignored, and the log says so once', async () => {
  const { logger, lines } = capturedLogger();
  const plain = await startTestServer({ deps: { engineHost, logger } });
  try {
    const welcomes: Frame[] = [];
    for (let tab = 0; tab < 2; tab++) {
      const client = await ShopperClient.connect(plain.socketUrl);
      sockets.push(client);
      welcomes.push(await client.hello({ lang: 'es', user: marta }));
      expect(client.frames.some((frame) => frame.type === 'error')).toBe(false);
    }
    expect(welcomes[1]!.conversationId).not.toBe(welcomes[0]!.conversationId);
    expect(await plain.app.store.conversations.get(String(welcomes[0]!.conversationId))).toMatchObject({ shopperId: null, shopperName: null, shopperEmail: null });
    expect(lines.filter((line) => line.msg.includes('ATENTO_IDENTITY_SECRET'))).toHaveLength(1);
  } finally {
    await Promise.all(sockets.splice(0).map((socket) => socket.close()));
    await plain.stop();
  }
});

test('a page that signs only the user id (made before names were signed) keeps the identity; its name and e-mail are dropped, and the log says so once', async () => {
  const { logger, lines } = capturedLogger();
  const shop = await startTestServer({ config: { identitySecret: SECRET }, deps: { engineHost, logger } });
  try {
    const idOnly = { id: 'cliente-8008', name: 'Victoria', email: 'victima@example.com', hash: shopperHash(SECRET, { id: 'cliente-8008' }) };
    const welcomes: Frame[] = [];
    for (let device = 0; device < 2; device++) {
      const client = await ShopperClient.connect(shop.socketUrl);
      sockets.push(client);
      welcomes.push(await client.hello({ lang: 'es', user: idOnly }));
      expect(client.frames.some((frame) => frame.type === 'error')).toBe(false);
    }
    expect(welcomes[1]).toMatchObject({ conversationId: welcomes[0]!.conversationId, resumed: true });
    expect(await shop.app.store.conversations.get(String(welcomes[0]!.conversationId))).toMatchObject({ shopperId: 'cliente-8008', shopperName: null, shopperEmail: null });
    expect(lines.filter((line) => line.msg.includes('signs only data-user-id'))).toHaveLength(1);
  } finally {
    await Promise.all(sockets.splice(0).map((socket) => socket.close()));
    await shop.stop();
  }
});

test('a visitor who types a verified user\'s e-mail is not shown that user\'s conversations as history', async () => {
  const lucia = await connectAgent(server, 'lucia@tienda.example', 'Lucía');
  sockets.push(lucia.client);
  const real = await device(marta);
  await real.client.ask('quiero cambiar la dirección de mi pedido 777');

  const impostor = await device();
  impostor.client.send({ type: 'handoff_request' });
  const assigned = await lucia.client.next('assigned');
  expect(assigned.conversationId).toBe(impostor.welcome.conversationId);
  // "Soy Marta, marta@example.com": the agent writes the address down.
  lucia.client.send({ type: 'shopper_details', conversationId: String(assigned.conversationId), email: 'marta@example.com' });
  const view = await lucia.client.next('conversation');
  expect(view.conversation).toMatchObject({ shopperEmail: 'marta@example.com', shopperId: null });
  expect(view.shopper).toMatchObject({ verified: false });
  expect(view.previous).toEqual([]);

  // The real Marta's history does list a visitor's chat that gave her e-mail, marked as matched by e-mail only.
  const own = (await server.app.handoff.views.transcript(String(real.welcome.conversationId)))!;
  expect(own.previous).toContainEqual(expect.objectContaining({ id: assigned.conversationId, matchedBy: 'email' }));
  lucia.client.send({ type: 'resolve', conversationId: String(assigned.conversationId) });
  await lucia.client.next('ok');
});
