import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';

/** Handles an HTTP upgrade for one path; authentication happens here, before the WebSocket handshake. */
export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Answers a refused upgrade with a plain HTTP response, then closes the TCP socket. */
export function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** Routes upgrade requests by path; unknown paths get a 404. */
export function routeUpgrades(routes: ReadonlyMap<string, UpgradeHandler>): UpgradeHandler {
  return (request, socket, head) => {
    socket.on('error', () => socket.destroy());
    const path = requestPath(request.url);
    if (path === null) return rejectUpgrade(socket, 400, 'The request target is not a valid URL.');
    const handler = routes.get(path);
    if (!handler) return rejectUpgrade(socket, 404, `No WebSocket endpoint at ${path}`);
    handler(request, socket, head);
  };
}

/** The path of a request target, or null when it does not parse (e.g. "http://[": URL would throw). */
function requestPath(target: string | undefined): string | null {
  try {
    return new URL(target ?? '/', 'http://localhost').pathname;
  } catch {
    return null;
  }
}
