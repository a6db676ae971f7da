import { connectAgent } from '../helpers/agent-client';
import { ALWAYS_OPEN, startTestServer, type TestServer } from '../helpers/app';
import { ShopperClient } from '../helpers/shopper-client';

/**
 * The console's "en línea" / "se fue hace…" for a shopper with an agent, through a reload. The node
 * hears its own presence news back from the bus; taken as "a tab open on another node", it kept a
 * shopper who had reloaded and then left "en línea" for good (found by a tester).
 */
let server: TestServer;
beforeAll(async () => {
  // Open around the clock: a handoff must find the agent whenever the tests run.
  server = await startTestServer({ config: { handoff: { businessHours: ALWAYS_OPEN } } });
});
afterAll(() => server.stop());

test('a shopper who reloads the page and then leaves is shown as gone', async () => {
  const shopper = await ShopperClient.connect(server.socketUrl);
  const welcome = await shopper.hello({ lang: 'es' });
  const agent = await connectAgent(server, 'ana@tienda.example', 'Ana');
  shopper.send({ type: 'handoff_request' });
  await agent.client.next('assigned');
  const presence = () => agent.client.next('presence');

  await shopper.close();
  expect(await presence()).toMatchObject({ conversationId: welcome.conversationId, online: false });
  const reloaded = await ShopperClient.connect(server.socketUrl);
  await reloaded.hello({ token: String(welcome.token) });
  expect(await presence()).toMatchObject({ online: true });

  await reloaded.close();
  const left = await presence();
  expect(left).toMatchObject({ conversationId: welcome.conversationId, online: false });
  expect(typeof left.leftAt).toBe('string');
  await agent.client.close();
});
