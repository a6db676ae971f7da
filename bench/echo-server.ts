/**
 * The floor for bench:load: a bare `ws` server on loopback that answers each frame at once, so the
 * benchmark can say how far an Atento answer is from the cost of the socket round trip itself.
 * Prints its port on the first line of stdout.
 */
import { WebSocketServer } from 'ws';

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 16_384 });
server.on('connection', (ws) => {
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { clientMessageId?: string };
    ws.send(JSON.stringify({ type: 'echo', clientMessageId: frame.clientMessageId }));
  });
});
server.on('listening', () => console.log(String((server.address() as { port: number }).port)));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
