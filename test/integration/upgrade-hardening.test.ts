import net from 'node:net';
import { startTestServer, useShopperServer } from '../helpers/app';
import { capturedLogger } from '../helpers/log-capture';
import { ShopperClient } from '../helpers/shopper-client';

/** Sockets that try to hold the server's resources: unparsable upgrades, piles of sockets, silent sockets, frame floods. */

const context = useShopperServer({ limits: { socketsPerAddress: 3, helloTimeoutMs: 500, framesPerMinute: 20, newConversationsPerMinute: 1000 } });

/** Sends raw bytes and resolves with everything the server wrote before closing. */
function rawRequest(text: string): Promise<string> {
  const url = new URL(context.server.httpUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname, () => socket.write(text));
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('utf8')));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });
}

test('an upgrade whose target is not a URL gets a 400, and the server keeps serving', async () => {
  const response = await rawRequest(
    'GET http://[ HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
  );
  expect(response).toMatch(/^HTTP\/1\.1 400 /);
  const client = await context.shopper();
  await client.hello();
  expect((await client.ask('¿cuánto cuesta el envío?')).reply).toBeDefined();
});

test('one address may hold only socketsPerAddress sockets; other addresses may still connect', async () => {
  const open = [await context.shopper(), await context.shopper(), await context.shopper()];
  await Promise.all(open.map((client) => client.hello()));
  await expect(ShopperClient.connect(context.server.socketUrl)).rejects.toThrow('upgrade refused: 429');
  // Behind the local proxy, another shopper's address has its own allowance.
  const elsewhere = await ShopperClient.connect(context.server.socketUrl, { headers: { 'x-forwarded-for': '198.51.100.20' } });
  await elsewhere.hello();
  await elsewhere.close();
});

test('a socket that never says hello is closed with hello_timeout (4408)', async () => {
  const silent = await context.shopper();
  await silent.waitForClose();
  expect(silent.frames).toEqual([expect.objectContaining({ type: 'error', code: 'hello_timeout' })]);
  expect(silent.closed?.code).toBe(4408);
});

test('feedback floods are cut by the per-socket frame limit', async () => {
  const client = await context.shopper();
  await client.hello();
  const { reply } = await client.ask('¿cuánto cuesta el envío?');
  for (let i = 0; i < 30; i++) client.send({ type: 'feedback', messageId: reply.id, helpful: i % 2 === 0 });
  // One answer per frame: a saved thumb once it is written (later on PostgreSQL than on SQLite), or the limit's error.
  const frames = await Promise.all(Array.from({ length: 30 }, () => client.next()));
  // hello and the question used 2 of the 20 frames.
  expect(frames.filter((frame) => frame.type === 'feedback_saved')).toHaveLength(18);
  expect(frames.filter((frame) => frame.type === 'error' && frame.code === 'rate_limited')).toHaveLength(12);
});

test("a refused page's origin is logged once, with the setting that would allow it", async () => {
  const { logger, lines } = capturedLogger();
  const server = await startTestServer({ deps: { logger } });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      await expect(ShopperClient.connect(server.socketUrl, { origin: 'https://otra-tienda.example' })).rejects.toThrow('403');
    }
    const warnings = lines.filter((line) => line.msg.includes('not in allowedOrigins'));
    expect(warnings).toEqual([expect.objectContaining({ origin: 'https://otra-tienda.example', msg: expect.stringContaining('ATENTO_ALLOWED_ORIGINS') })]);
  } finally {
    await server.stop();
  }
});
