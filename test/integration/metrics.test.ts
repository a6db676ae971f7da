import type { EngineHost } from '../../src/engine';
import { ALWAYS_OPEN, projectEngineHost, startTestServer, type TestServer } from '../helpers/app';
import { ShopperClient } from '../helpers/shopper-client';

/** GET /metrics: off unless metrics.token is set, then only for that bearer token; the counters move with a conversation. */

const TOKEN = 'metrics-token-for-this-test-0123456789abcdef';
let engineHost: EngineHost;
let server: TestServer;

beforeAll(async () => {
  engineHost = projectEngineHost();
  server = await startTestServer({ deps: { engineHost }, config: { metrics: { token: TOKEN }, handoff: { businessHours: ALWAYS_OPEN } } });
});
afterAll(async () => {
  await server.stop();
  engineHost.close();
});

async function scrape(): Promise<string> {
  const res = await fetch(`${server.httpUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
}

/** The value of one sample, e.g. value(text, 'atento_messages_total{sender="bot"}'); 0 when absent. */
function value(text: string, sample: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line ? Number(line.slice(sample.length + 1)) : 0;
}

test('no token, a wrong token: 401 and no figures; a server without metrics.token has no /metrics at all', async () => {
  for (const headers of [{}, { authorization: 'Bearer not-the-token' }, { authorization: TOKEN }] as Array<Record<string, string>>) {
    const res = await fetch(`${server.httpUrl}/metrics`, { headers });
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain('atento_');
  }
  const plain = await startTestServer({ deps: { engineHost } });
  expect((await fetch(`${plain.httpUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  await plain.stop();
});

test('a conversation moves the counters: messages in and out, answers by action, turn latency, sockets, commits, handoffs', async () => {
  const before = await scrape();
  const client = await ShopperClient.connect(server.socketUrl);
  await client.hello({ lang: 'es' });
  const { reply } = await client.ask('¿cuánto cuesta el envío?');
  expect(reply.action).toBe('answer');
  client.send({ type: 'handoff_request' });
  await client.next('status');
  const after = await scrape();

  const moved = (sample: string) => value(after, sample) - value(before, sample);
  expect(moved('atento_messages_total{sender="shopper"}')).toBe(1);
  expect(moved('atento_bot_answers_total{action="answer"}')).toBe(1);
  expect(moved('atento_messages_total{sender="bot"}')).toBeGreaterThanOrEqual(1);
  expect(moved('atento_answer_seconds_count')).toBe(1);
  expect(moved('atento_handoffs_total{reason="button"}')).toBe(1);
  expect(moved('atento_store_commit_seconds_count')).toBeGreaterThan(0);
  expect(value(after, 'atento_open_sockets{kind="shopper"}')).toBe(1);
  expect(value(after, 'atento_pending_turns')).toBe(0);
  expect(after).toContain('atento_shed_total 0');
  // Figures only: nothing the shopper wrote.
  expect(after).not.toContain('envío');
  await client.close();
});
