import type { EngineHost } from '../../src/engine';
import { connectAgent } from '../helpers/agent-client';
import { ALWAYS_OPEN, projectEngineHost, startTestServer, type TestServer } from '../helpers/app';
import { FakeProvider, facebookSignature } from '../helpers/fake-provider';
import { dbOf } from '../helpers/db';

/**
 * Facebook Messenger: the webhook's verification handshake, webhooks signed with the app secret the way
 * Facebook signs them, sent to the real server; the Graph API's Send API replaced by a loopback server
 * (ATENTO_MESSENGER_API_URL) that records what would have been sent.
 */

const APP_SECRET = 'facebook-app-secret-for-tests-0123';
const VERIFY_TOKEN = 'verify-token-chosen-by-the-shop-42';
const PAGE_TOKEN = 'EAAB-page-access-token-for-tests';
const PSID = '6123456789012345';

let engineHost: EngineHost;
let server: TestServer;
let provider: FakeProvider;

beforeAll(async () => {
  engineHost = projectEngineHost();
  provider = await FakeProvider.start();
  server = await startTestServer({
    config: { limits: { messagesPerMinute: 3 }, handoff: { businessHours: ALWAYS_OPEN, reconnectGraceSeconds: 0 }, messenger: { pageAccessToken: PAGE_TOKEN, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, apiUrl: provider.url, apiVersion: 'v21.0' } },
    deps: { engineHost },
  });
});
afterAll(async () => {
  await server.stop();
  await provider.close();
  engineHost.close();
});

let mid = 0;
function event(message: object, sender = PSID): string {
  return JSON.stringify({
    object: 'page',
    entry: [{ id: 'PAGE_ID', time: Date.now(), messaging: [{ sender: { id: sender }, recipient: { id: 'PAGE_ID' }, timestamp: Date.now(), message: { mid: `m_${++mid}`, ...message } }] }],
  });
}

function post(body: string, signature: string | null): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  return fetch(`${server.httpUrl}/channels/messenger`, { method: 'POST', headers, body });
}

test('the verification handshake echoes the challenge only for the shop\'s verify token', async () => {
  const handshake = (token: string) => fetch(`${server.httpUrl}/channels/messenger?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444`);
  const good = await handshake(VERIFY_TOKEN);
  expect(good.status).toBe(200);
  expect(await good.text()).toBe('1158201444');
  expect((await handshake('someone-elses-token')).status).toBe(403);
});

test('a signed question that needs "did you mean" gets quick replies; tapping one gets its answer', async () => {
  const ambiguous = ['tarjeta', 'pago', 'envío', 'cuenta', 'pedido', 'problema', 'cambio'].find((text) => {
    const decision = engineHost.current().respond(text, { lang: 'es' });
    return decision.action === 'clarify' && decision.options.length >= 2;
  })!;
  const options = engineHost.current().respond(ambiguous, { lang: 'es' }).options;
  const body = event({ text: ambiguous });
  const response = await post(body, facebookSignature(APP_SECRET, body));
  expect(response.status).toBe(200);

  const [sent] = await provider.waitFor(1, 0);
  expect(sent!.path).toBe('/v21.0/me/messages');
  expect(sent!.query.get('access_token')).toBe(PAGE_TOKEN);
  expect(sent!.query.get('appsecret_proof')).toMatch(/^[0-9a-f]{64}$/);
  expect(sent!.body).toMatchObject({ recipient: { id: PSID }, messaging_type: 'RESPONSE' });
  const message = sent!.body.message as { text: string; quick_replies: Array<{ content_type: string; title: string; payload: string }> };
  expect(message.text).toContain(`1. ${options[0]!.label}`);
  expect(message.quick_replies).toHaveLength(options.length);
  expect(message.quick_replies[0]).toMatchObject({ content_type: 'text', payload: options[0]!.id });
  expect(message.quick_replies.every((reply) => reply.title.length <= 20)).toBe(true);

  const tap = event({ text: message.quick_replies[1]!.title, quick_reply: { payload: options[1]!.id } });
  expect((await post(tap, facebookSignature(APP_SECRET, tap))).status).toBe(200);
  const [answer] = await provider.waitFor(1, 1);
  const expected = engineHost.current().replyFor(options[1]!.id, 'es')!;
  expect((answer!.body.message as { text: string }).text).toContain(expected.text.split('\n')[0]!.replace(/\*\*/g, '').slice(0, 30));
  const stored = dbOf(server.app.store).prepare("SELECT m.text FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.channel = 'messenger' AND c.channel_user = ? AND m.sender = 'shopper' ORDER BY m.id").all(PSID);
  expect(stored).toEqual([{ text: ambiguous }, { text: options[1]!.label }]);
});

test('an unsigned or wrongly signed webhook gets 403 and nothing is stored or sent', async () => {
  const count = () => [(dbOf(server.app.store).prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n, provider.requests.length];
  const before = count();
  const body = event({ text: '¿cuánto cuesta el envío?' });
  expect((await post(body, null)).status).toBe(403);
  expect((await post(body, facebookSignature('not-the-app-secret-0123456789', body))).status).toBe(403);
  expect((await post(event({ text: 'otro texto' }), facebookSignature(APP_SECRET, body))).status).toBe(403);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(count()).toEqual(before);
});

test('a Messenger shopper who asks for a person gets the agent\'s replies on Messenger, as plain text', async () => {
  const shopper = '6999999999999999';
  const { client: ana } = await connectAgent(server, 'ana@tienda.example', 'Ana');
  try {
    const before = provider.requests.length;
    const body = event({ text: 'quiero hablar con una persona' }, shopper);
    expect((await post(body, facebookSignature(APP_SECRET, body))).status).toBe(200);
    const conversationId = String((await ana.next('assigned')).conversationId);
    const chats = await ana.next('chats');
    expect((chats.items as Array<{ conversationId: string; channel: string }>).find((chat) => chat.conversationId === conversationId)?.channel).toBe('messenger');
    await provider.waitFor(2, before);
    const replyAt = provider.requests.length;
    ana.send({ type: 'message', conversationId, clientMessageId: 'a-1', text: 'Hola, soy **Ana**. ¿En qué te ayudo?' });
    const [sent] = await provider.waitFor(1, replyAt);
    expect(sent!.body).toEqual({ recipient: { id: shopper }, messaging_type: 'RESPONSE', message: { text: 'Ana: Hola, soy Ana. ¿En qué te ayudo?' } });
  } finally {
    await ana.close();
  }
});

test('past limits.messagesPerMinute a sender\'s messages are kept but not answered', async () => {
  const sender = '6888888888888888';
  const before = provider.requests.length;
  for (const text of ['¿cuánto cuesta el envío?', '¿cuánto tarda el envío?', '¿aceptan tarjeta?', '¿y a Lima?']) {
    const body = event({ text }, sender);
    expect((await post(body, facebookSignature(APP_SECRET, body))).status).toBe(200);
  }
  await provider.waitFor(3, before);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(provider.requests.slice(before).filter((request) => (request.body.recipient as { id: string }).id === sender)).toHaveLength(3);
  const stored = dbOf(server.app.store).prepare("SELECT m.sender, m.text FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.channel_user = ? AND m.sender = 'shopper' ORDER BY m.id").all(sender);
  expect(stored).toHaveLength(4);
});
