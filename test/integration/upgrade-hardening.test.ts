import net from 'node:net';
import { useShopperServer } from '../helpers/app';

/** Upgrade requests that the URL parser cannot read, or that come in floods, from raw TCP sockets. */

const context = useShopperServer({ limits: { socketsPerAddress: 3, newConversationsPerMinute: 1000 } });

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
