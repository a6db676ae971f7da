import { connectAgent } from '../helpers/agent-client';
import { ALWAYS_OPEN, startTestServer, type TestServer } from '../helpers/app';
import { ShopperClient } from '../helpers/shopper-client';

/**
 * The console's "Transferir a…" list says how many chats each agent has open. It was sent only when an
 * agent came or went, so it said "Beto (0)" while Beto had a chat (found by a tester).
 */
let server: TestServer;
beforeAll(async () => {
  // Open around the clock: a handoff must find the agent whenever the tests run.
  server = await startTestServer({ config: { handoff: { businessHours: ALWAYS_OPEN } } });
});
afterAll(() => server.stop());

/** Resolves when the console is sent an `agents` list whose open chats add up to `total`. */
async function untilOpenChats(console: ShopperClient, total: number): Promise<void> {
  for (;;) {
    const frame = await console.next('agents');
    if ((frame.items as Array<{ openChats: number }>).reduce((sum, item) => sum + item.openChats, 0) === total) return;
  }
}

test("both consoles hear an agent's open chats change when a chat is taken and when it is resolved", async () => {
  const ana = await connectAgent(server, 'ana@tienda.example', 'Ana');
  const beto = await connectAgent(server, 'beto@tienda.example', 'Beto');
  const shopper = await ShopperClient.connect(server.socketUrl);
  const welcome = await shopper.hello({ lang: 'es' });

  shopper.send({ type: 'handoff_request' });
  const holder = await Promise.race([ana, beto].map(async (agent) => (await agent.client.next('assigned'), agent)));
  await Promise.all([untilOpenChats(ana.client, 1), untilOpenChats(beto.client, 1)]);

  holder.client.send({ type: 'resolve', conversationId: welcome.conversationId });
  await Promise.all([untilOpenChats(ana.client, 0), untilOpenChats(beto.client, 0)]);
  await Promise.all([shopper.close(), ana.client.close(), beto.client.close()]);
});
