import type { WebSocket } from 'ws';

const HEARTBEAT_MS = 30_000;

export interface Pingable {
  ws: WebSocket;
  alive: boolean;
}

/**
 * Browsers do not report dead connections (a phone losing signal): ping every socket, and drop the
 * ones that did not answer the previous ping. Returns the function that stops it.
 */
export function startHeartbeat(clients: Iterable<Pingable>, beforeEachRound: () => void = () => {}): () => void {
  const timer = setInterval(() => {
    beforeEachRound();
    for (const client of clients) {
      if (!client.alive) {
        client.ws.terminate();
        continue;
      }
      client.alive = false;
      client.ws.ping();
    }
  }, HEARTBEAT_MS);
  timer.unref();
  return () => clearInterval(timer);
}
