import crypto from 'node:crypto';
import type { EngineHost } from '../../src/engine';
import { connectAgent } from '../helpers/agent-client';
import { ALWAYS_OPEN, projectEngineHost, startTestServer, type TestServer } from '../helpers/app';
import { FakeProvider, twilioSignature, type ProviderRequest } from '../helpers/fake-provider';
import { ShopperClient, type Frame } from '../helpers/shopper-client';
import { dbOf } from '../helpers/db';

/**
 * WhatsApp through Twilio, end to end: webhooks signed the way Twilio signs them, sent to the real server;
 * Twilio's Messages API replaced by a loopback server (ATENTO_WHATSAPP_API_URL) that records what would
 * have reached the shopper's phone.
 */

const AUTH_TOKEN = 'twilio-auth-token-for-tests-0123456789';
const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
/** The public URL entered in Twilio: the server sits behind a proxy, so it is not the URL the test posts to. */
const WEBHOOK_URL = 'https://chat.tienda.example/channels/whatsapp';
const SHOP_NUMBER = 'whatsapp:+14155238886';
const MARTA = '+5215512345678';

let engineHost: EngineHost;
let server: TestServer;
let provider: FakeProvider;
let clockOffsetMs = 0;
const sockets: ShopperClient[] = [];

beforeAll(async () => {
  engineHost = projectEngineHost();
  provider = await FakeProvider.start();
  server = await startTestServer({
    config: {
      handoff: { businessHours: ALWAYS_OPEN, reconnectGraceSeconds: 0, agentCapacity: 1 },
      whatsapp: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: SHOP_NUMBER, webhookUrl: WEBHOOK_URL, apiUrl: provider.url },
    },
    deps: { engineHost, clock: () => new Date(Date.now() + clockOffsetMs) },
  });
});
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((socket) => socket.close()));
});
afterAll(async () => {
  await server.stop();
  await provider.close();
  engineHost.close();
});

function params(from: string, body: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    MessageSid: `SM${crypto.randomBytes(16).toString('hex')}`,
    AccountSid: ACCOUNT_SID,
    From: `whatsapp:${from}`,
    To: SHOP_NUMBER,
    Body: body,
    NumMedia: '0',
    ProfileName: 'Marta',
    ...extra,
  };
}

function post(fields: Record<string, string>, signature: string | null): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (signature !== null) headers['x-twilio-signature'] = signature;
  return fetch(`${server.httpUrl}/channels/whatsapp`, { method: 'POST', headers, body: new URLSearchParams(fields) });
}

/** The shopper writes on WhatsApp; resolves with what reaches their phone (`replies` messages). */
async function whatsapp(from: string, body: string, replies: number): Promise<string[]> {
  const before = provider.requests.length;
  const fields = params(from, body);
  const response = await post(fields, twilioSignature(AUTH_TOKEN, WEBHOOK_URL, fields));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/xml/);
  const sent = await provider.waitFor(replies, before);
  return sent.map((request) => {
    expect(request.body.To).toBe(`whatsapp:${from}`);
    return String(request.body.Body);
  });
}

/** Waits for an agent frame matching `match`, skipping others. */
async function agentFrame(agent: ShopperClient, type: string, match: (frame: Frame) => boolean = () => true): Promise<Frame> {
  for (;;) {
    const frame = await agent.next(type);
    if (match(frame)) return frame;
  }
}

const rows = (sql: string) => (dbOf(server.app.store).prepare(sql).get() as { n: number }).n;

test('a WhatsApp conversation: question → answer; "did you mean" answered with a digit; complaint → the agent takes it and answers on WhatsApp; resolve → rating 1–5', async () => {
  // A question gets its answer on the phone, sent through Twilio's API with the shop's credentials.
  const [answer] = await whatsapp(MARTA, '¿cuánto cuesta el envío?', 1);
  const sent = provider.requests.at(-1)!;
  expect(sent.method).toBe('POST');
  expect(sent.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
  expect(sent.headers.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`);
  expect(sent.body.From).toBe(SHOP_NUMBER);
  const expected = engineHost.current().respond('¿cuánto cuesta el envío?', { lang: 'es' });
  expect(expected.id).toBe('shipping-cost');
  expect(answer).toContain(expected.text.split('\n')[0]!.replace(/\*\*/g, '*').slice(0, 30));
  expect(answer).not.toMatch(/\*\*/);
  const conversation = dbOf(server.app.store).prepare("SELECT id, channel, channel_user, shopper_name FROM conversations WHERE channel = 'whatsapp'").get() as Record<string, string>;
  expect(conversation).toMatchObject({ channel: 'whatsapp', channel_user: MARTA, shopper_name: 'Marta' });

  // "Did you mean…?": numbered options; the shopper answers "2" and gets the second one's answer.
  const ambiguous = ['tarjeta', 'pago', 'envío', 'cuenta', 'pedido', 'problema', 'cambio'].find((text) => {
    const decision = engineHost.current().respond(text, { lang: 'es' });
    return decision.action === 'clarify' && decision.options.length >= 2;
  })!;
  const options = engineHost.current().respond(ambiguous, { lang: 'es' }).options;
  const [question] = await whatsapp(MARTA, ambiguous, 1);
  expect(question).toContain(`1. ${options[0]!.label}`);
  expect(question).toContain(`2. ${options[1]!.label}`);
  expect(question).toMatch(/Responde con el número de la opción\.$/);
  const [picked] = await whatsapp(MARTA, '2', 1);
  const pickedReply = engineHost.current().replyFor(options[1]!.id, 'es')!;
  expect(picked).toContain(pickedReply.text.split('\n')[0]!.replace(/\*\*/g, '*').slice(0, 30));
  const shopperPick = dbOf(server.app.store).prepare("SELECT text FROM messages WHERE sender = 'shopper' ORDER BY id DESC LIMIT 1").get() as { text: string };
  expect(shopperPick.text).toBe(options[1]!.label);

  // Ana is online but busy with a web chat (capacity 1): the WhatsApp complaint waits in her queue, marked whatsapp.
  const ana = (await connectAgent(server, 'ana@tienda.example', 'Ana')).client;
  const web = await ShopperClient.connect(server.socketUrl);
  sockets.push(ana, web);
  await web.hello({ lang: 'es' });
  web.send({ type: 'handoff_request' });
  const webChat = String((await ana.next('assigned')).conversationId);
  const before = provider.requests.length;
  const complaintFields = params(MARTA, 'quiero poner una queja formal, me llegó el pedido roto');
  expect((await post(complaintFields, twilioSignature(AUTH_TOKEN, WEBHOOK_URL, complaintFields))).status).toBe(200);
  const queue = await agentFrame(ana, 'queue', (frame) => (frame.items as Frame[]).some((item) => item.conversationId === conversation.id));
  expect((queue.items as Frame[]).find((item) => item.conversationId === conversation.id)).toMatchObject({ channel: 'whatsapp', shopper: expect.objectContaining({ displayName: 'Marta' }) });
  await provider.waitFor(1, before);

  // She claims it from the queue; the shopper reads that she joined, then her reply, signed with her name.
  const claimedAt = provider.requests.length;
  ana.send({ type: 'claim', conversationId: conversation.id });
  expect(await agentFrame(ana, 'ok')).toMatchObject({ request: 'claim', conversationId: conversation.id });
  const view = await agentFrame(ana, 'conversation', (frame) => (frame.conversation as Frame).id === conversation.id);
  expect((view.conversation as Frame).channel).toBe('whatsapp');
  const [joined] = (await provider.waitFor(1, claimedAt)).map((request) => String(request.body.Body));
  expect(joined).toBe('_Ana se unió a la conversación._');
  const replyAt = provider.requests.length;
  ana.send({ type: 'note', conversationId: conversation.id, clientMessageId: 'n-1', text: 'Clienta molesta, revisar con bodega' });
  await agentFrame(ana, 'ack', (frame) => frame.clientMessageId === 'n-1');
  ana.send({ type: 'message', conversationId: conversation.id, clientMessageId: 'a-1', text: 'Hola Marta, soy Ana. ¿Me pasas tu número de pedido?' });
  await agentFrame(ana, 'ack', (frame) => frame.clientMessageId === 'a-1');
  const [agentReply] = (await provider.waitFor(1, replyAt)).map((request) => String(request.body.Body));
  expect(agentReply).toBe('*Ana:* Hola Marta, soy Ana. ¿Me pasas tu número de pedido?');

  // Twilio refuses one (the number blocked the shop, say): Ana reads why in a note; the shopper is sent nothing more.
  provider.refuseNext = { status: 400, body: { code: 63024, message: 'Invalid message recipient', status: 400 } };
  ana.send({ type: 'message', conversationId: conversation.id, clientMessageId: 'a-2', text: '¿Sigues ahí?' });
  const note = (await agentFrame(ana, 'message', (frame) => (frame.message as Frame).kind === 'note' && (frame.message as Frame).from === 'system')).message as Frame;
  expect(note.text).toMatch(/^WhatsApp no entregó este mensaje al cliente \(#\d+\): Twilio refused the message \(HTTP 400\): 63024 Invalid message recipient$/);

  // The shopper's answer reaches Ana's console, not the bot.
  const shopperAt = provider.requests.length;
  const orderFields = params(MARTA, 'Es el pedido 48213');
  expect((await post(orderFields, twilioSignature(AUTH_TOKEN, WEBHOOK_URL, orderFields))).status).toBe(200);
  expect((await agentFrame(ana, 'message', (frame) => (frame.message as Frame).from === 'shopper')).message).toMatchObject({ text: 'Es el pedido 48213' });

  // Resolve: the shopper is told, then asked to rate from 1 to 5 and answers with a digit.
  ana.send({ type: 'resolve', conversationId: conversation.id });
  const [resolved, rating] = (await provider.waitFor(2, shopperAt)).map((request) => String(request.body.Body));
  expect(resolved).toMatch(/^_Ana marcó la conversación como resuelta/);
  expect(rating).toBe('¿Cómo te atendimos? Responde del 1 (mal) al 5 (excelente).');
  const [thanks] = await whatsapp(MARTA, '5', 1);
  expect(thanks).toBe('¡Gracias por tu calificación!');
  expect(dbOf(server.app.store).prepare('SELECT rating FROM csat WHERE conversation_id = ?').get(conversation.id)).toEqual({ rating: 5 });

  // The private note never left the server.
  expect(provider.requests.some((request) => String(request.body.Body).includes('bodega'))).toBe(false);
  ana.send({ type: 'resolve', conversationId: webChat });
  await agentFrame(ana, 'ok', (frame) => frame.conversationId === webChat);
});

test('unsigned, wrongly signed or tampered webhooks get 403 and nothing is stored or sent', async () => {
  const count = () => [rows('SELECT count(*) AS n FROM conversations'), rows('SELECT count(*) AS n FROM messages'), provider.requests.length];
  const before = count();
  const fields = params('+5215599999999', '¿hacen envíos a Monterrey?');
  const signed = twilioSignature(AUTH_TOKEN, WEBHOOK_URL, fields);
  expect((await post(fields, null)).status).toBe(403);
  expect((await post(fields, twilioSignature('another-token-0123456789abcdef', WEBHOOK_URL, fields))).status).toBe(403);
  expect((await post(fields, twilioSignature(AUTH_TOKEN, 'https://evil.example/channels/whatsapp', fields))).status).toBe(403);
  expect((await post({ ...fields, Body: 'mensaje cambiado en el camino' }, signed)).status).toBe(403);
  expect((await post(fields, 'not base64 at all')).status).toBe(403);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(count()).toEqual(before);
});

test('a photo without text is answered that only text is read; the number is forgotten with the shopper', async () => {
  const number = '+5215511112222';
  const before = provider.requests.length;
  const fields = params(number, '', { NumMedia: '1', MediaUrl0: 'https://api.twilio.com/media/1', MediaContentType0: 'image/jpeg' });
  expect((await post(fields, twilioSignature(AUTH_TOKEN, WEBHOOK_URL, fields))).status).toBe(200);
  const [reply] = await provider.waitFor(1, before);
  expect((reply as ProviderRequest).body.Body).toBe('Por ahora solo puedo leer mensajes de texto. ¿Me escribes tu pregunta?');
  const stored = dbOf(server.app.store).prepare('SELECT m.sender, m.text FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.channel_user = ? ORDER BY m.id').all(number);
  expect(stored).toEqual([
    { sender: 'shopper', text: '(envió una foto, un audio o un archivo sin texto)' },
    { sender: 'bot', text: 'Por ahora solo puedo leer mensajes de texto. ¿Me escribes tu pregunta?' },
  ]);

  const forgotten = await server.app.store.shoppers.forget({ channel: 'whatsapp', user: number });
  expect(forgotten.conversations).toBe(1);
  expect(dbOf(server.app.store).prepare('SELECT count(*) AS n FROM conversations WHERE channel_user = ?').get(number)).toEqual({ n: 0 });
});

test('24-hour window: a day after the shopper last wrote, an agent reply is refused (a template is needed) and the case becomes an e-mail ticket', async () => {
  const number = '+5215533334444';
  const beto = (await connectAgent(server, 'beto@tienda.example', 'Beto')).client;
  sockets.push(beto);
  await whatsapp(number, 'quiero hablar con una persona', 2);
  const conversationId = String((await beto.next('assigned')).conversationId);
  beto.send({ type: 'shopper_details', conversationId, email: 'lucia@correo.example' });
  await agentFrame(beto, 'conversation', (frame) => (frame.conversation as Frame).shopperEmail === 'lucia@correo.example');

  clockOffsetMs = 25 * 60 * 60 * 1000;
  try {
    const before = provider.requests.length;
    beto.send({ type: 'message', conversationId, clientMessageId: 'late-1', text: 'Perdón la demora, ¿sigues ahí?' });
    // The ticket list is refreshed, then the reply is refused.
    const tickets = await agentFrame(beto, 'tickets', (frame) => (frame.items as Frame[]).some((ticket) => ticket.conversationId === conversationId));
    const refused = await agentFrame(beto, 'error', (frame) => frame.clientMessageId === 'late-1');
    expect(refused.code).toBe('whatsapp_window_closed');
    expect(refused.message).toMatch(/24 hours.*template.*e-mail/);
    expect((tickets.items as Frame[]).find((ticket) => ticket.conversationId === conversationId)).toMatchObject({ email: 'lucia@correo.example', reason: 'whatsapp-window', status: 'open' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(provider.requests.length).toBe(before);
    expect(dbOf(server.app.store).prepare("SELECT count(*) AS n FROM messages WHERE text LIKE 'Perdón la demora%'").get()).toEqual({ n: 0 });
  } finally {
    clockOffsetMs = 0;
  }
});
