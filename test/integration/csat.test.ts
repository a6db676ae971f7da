import type { EngineHost } from '../../src/engine';
import { connectAgent } from '../helpers/agent-client';
import { ALWAYS_OPEN, projectEngineHost, startTestServer, type TestServer } from '../helpers/app';
import { ShopperClient, type Frame } from '../helpers/shopper-client';
import { dbOf } from '../helpers/db';

/** After an agent resolves a chat, the shopper rates the help (1–5, optional comment); the agent sees it. */

let engineHost: EngineHost;
let server: TestServer;
const sockets: ShopperClient[] = [];

beforeAll(async () => {
  engineHost = projectEngineHost();
  server = await startTestServer({ config: { handoff: { businessHours: ALWAYS_OPEN, reconnectGraceSeconds: 0 } }, deps: { engineHost } });
});
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((socket) => socket.close()));
});
afterAll(async () => {
  await server.stop();
  engineHost.close();
});

async function resolvedChat(): Promise<{ shopper: ShopperClient; agent: ShopperClient; conversationId: string; question: Frame }> {
  const agent = (await connectAgent(server, 'ana@tienda.example', 'Ana')).client;
  const shopper = await ShopperClient.connect(server.socketUrl);
  sockets.push(agent, shopper);
  const welcome = await shopper.hello({ lang: 'es' });
  shopper.send({ type: 'handoff_request' });
  const conversationId = String((await agent.next('assigned')).conversationId);
  agent.send({ type: 'resolve', conversationId });
  for (;;) {
    const frame = await shopper.nextMessageFrom('bot');
    if ((frame.options as Array<{ id: string }> | undefined)?.every((o) => o.id.startsWith('csat:'))) return { shopper, agent, conversationId: String(welcome.conversationId), question: frame };
  }
}

test('resolve asks for a 1–5 rating; the rating and comment are stored and shown on the agent\'s transcript', async () => {
  const { shopper, agent, conversationId, question } = await resolvedChat();
  expect(question.text).toMatch(/Califica de 1 \(mal\) a 5 \(excelente\)/);
  expect((question.options as Array<{ label: string }>).map((o) => o.label)).toEqual(['1', '2', '3', '4', '5']);

  shopper.send({ type: 'csat', messageId: question.id, rating: 4, comment: 'Rápida, pero tuve que explicar dos veces' });
  expect(await shopper.next('csat_saved')).toMatchObject({ messageId: question.id, rating: 4 });
  const view = await agent.next('conversation');
  expect(view.ratings).toEqual([expect.objectContaining({ rating: 4, comment: 'Rápida, pero tuve que explicar dos veces' })]);
  const row = dbOf(server.app.store).prepare('SELECT rating, agent_id FROM csat WHERE conversation_id = ?').get(conversationId) as { rating: number; agent_id: string };
  expect(row.rating).toBe(4);
  expect(row.agent_id).toBe((await server.app.store.agents.credentials('ana@tienda.example'))!.agent.id);

  // Changing one's mind replaces the rating; there is still one per question.
  shopper.send({ type: 'csat', messageId: question.id, rating: 5 });
  await shopper.next('csat_saved');
  expect(dbOf(server.app.store).prepare('SELECT COUNT(*) AS n, MAX(rating) AS r FROM csat').get()).toEqual({ n: 1, r: 5 });
});

test('a rating must answer this conversation\'s rating question and be 1–5', async () => {
  const { shopper, question } = await resolvedChat();
  const other = await ShopperClient.connect(server.socketUrl);
  sockets.push(other);
  await other.hello({ lang: 'es' });
  other.send({ type: 'csat', messageId: question.id, rating: 1 });
  expect((await other.next('error')).code).toBe('unknown_message');
  shopper.send({ type: 'csat', messageId: question.id, rating: 6 });
  expect((await shopper.next('error')).code).toBe('bad_frame');
  shopper.send({ type: 'csat', messageId: Number(question.id) - 1, rating: 3 });
  expect((await shopper.next('error')).code).toBe('unknown_message');
});
